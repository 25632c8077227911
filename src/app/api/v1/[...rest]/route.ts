import { DomainError } from "@/server/domain/errors";
import { problemResponse } from "@/server/http/problem";

/** Unknown API paths answer problem+json like everything else under /api/v1. */
const notFound = async (req: Request) => problemResponse(new DomainError("NOT_FOUND", `no such endpoint: ${req.method} ${new URL(req.url).pathname}`));

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
