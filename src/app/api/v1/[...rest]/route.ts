import { DomainError } from "@/server/domain/errors";
import { optionsResponse, withCors } from "@/server/http/cors";
import { problemResponse } from "@/server/http/problem";
import { requestIdFor } from "@/server/http/route";

/** Unknown API paths answer problem+json like everything else under /api/v1. */
const notFound = async (req: Request) =>
  withCors(req, problemResponse(new DomainError("NOT_FOUND", `no such endpoint: ${req.method} ${new URL(req.url).pathname}`), { "X-Request-Id": requestIdFor(req) }));

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
export const OPTIONS = async (req: Request) => (req.headers.get("access-control-request-method") ? optionsResponse(req, []) : notFound(req));
