import { DomainError } from "@/server/domain/errors";
import { optionsResponse, withCors } from "@/server/http/cors";
import { observeRequest } from "@/server/http/observe-request";
import { problemResponse } from "@/server/http/problem";

/** Unknown API paths answer problem+json like everything else under /api/v1 (one label for all of them). */
const notFound = (req: Request) =>
  observeRequest(req, "/api/v1/*", async () => withCors(req, problemResponse(new DomainError("NOT_FOUND", `no such endpoint: ${req.method} ${new URL(req.url).pathname}`))));

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
export const OPTIONS = async (req: Request) => (req.headers.get("access-control-request-method") ? optionsResponse(req, []) : notFound(req));
