import { ZodError } from "zod";
import { DomainError, ERROR_TABLE, type DomainErrorCode, type FieldError } from "@/server/domain/errors";
import { log } from "@/server/observability/log";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

const typeUri = (code: DomainErrorCode) => `urn:helmdeck:problem:${code.toLowerCase().replace(/_/g, "-")}`;

export function zodFieldErrors(error: ZodError, prefix?: string): FieldError[] {
  return error.issues.map((issue) => ({
    path: [...(prefix ? [prefix] : []), ...issue.path.map(String)].join(".") || "(body)",
    message: issue.message,
  }));
}

/** RFC 9457 problem document for a domain failure; the only place that shapes error bodies. */
export function problemResponse(error: DomainError, headers: Record<string, string> = {}): Response {
  const problem = problemParts(error, headers);
  return new Response(problem.body, { status: problem.status, headers: problem.headers });
}

/** The status, headers and body of problemResponse, for an answer written on a bare Node response. */
export function problemParts(error: DomainError, headers: Record<string, string> = {}): { status: number; headers: Record<string, string>; body: string } {
  const entry = ERROR_TABLE[error.code];
  const body = {
    type: typeUri(error.code),
    title: entry.title,
    status: entry.httpStatus,
    detail: error.message,
    ...(error.errors ? { errors: error.errors } : {}),
    ...error.extensions,
  };
  const extra: Record<string, string> = error.code === "UNAUTHENTICATED" ? { "WWW-Authenticate": 'Bearer realm="helmdeck"' } : {};
  return {
    status: entry.httpStatus,
    headers: { "Content-Type": PROBLEM_CONTENT_TYPE, "Cache-Control": "no-store", ...extra, ...error.headers, ...headers },
    body: JSON.stringify(body),
  };
}

/** Anything thrown by a handler, as a problem. Unknown errors are logged and become a 500. */
export function errorToResponse(error: unknown, requestId: string): Response {
  if (error instanceof DomainError) return problemResponse(error, { "X-Request-Id": requestId });
  if (error instanceof ZodError) {
    return problemResponse(new DomainError("VALIDATION_FAILED", "the request is invalid", { errors: zodFieldErrors(error) }), { "X-Request-Id": requestId });
  }
  return internalErrorResponse(error, requestId);
}

export const INTERNAL_ERROR = "internal error";

/**
 * The one answer to a failure nobody anticipated: "internal error" and the request id, never
 * SQL, a stack or a driver's message. The error itself goes to the log, without parameters.
 */
export function internalErrorResponse(error: unknown, requestId: string): Response {
  log.error({ err: error, requestId }, "unhandled error");
  return new Response(JSON.stringify({ type: "about:blank", title: "Internal Server Error", status: 500, detail: INTERNAL_ERROR, requestId }), {
    status: 500,
    headers: { "Content-Type": PROBLEM_CONTENT_TYPE, "Cache-Control": "no-store", "X-Request-Id": requestId },
  });
}
