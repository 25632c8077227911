import { DomainError } from "@/server/domain/errors";
import { optionsResponse, withCors } from "./cors";
import { observeRequest } from "./observe-request";
import { problemResponse } from "./problem";

/**
 * The handlers of a catch-all API route: an unknown path answers 404 problem+json like
 * everything else under /api, not Next's HTML page, under one log label for all of them.
 */
export function unknownEndpoint(label: string) {
  const notFound = (req: Request) =>
    observeRequest(req, label, async () => withCors(req, problemResponse(new DomainError("NOT_FOUND", `no such endpoint: ${req.method} ${new URL(req.url).pathname}`))));
  const options = async (req: Request) => (req.headers.get("access-control-request-method") ? optionsResponse(req, []) : notFound(req));
  return { GET: notFound, POST: notFound, PUT: notFound, PATCH: notFound, DELETE: notFound, OPTIONS: options };
}
