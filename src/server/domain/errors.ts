export type FieldError = { path: string; message: string };

/**
 * The one table from a domain failure to its meaning on each face. REST and tRPC both
 * read it; nothing else decides a status code.
 */
export const ERROR_TABLE = {
  BAD_REQUEST: { httpStatus: 400, trpcCode: "BAD_REQUEST", title: "Bad request" },
  UNAUTHENTICATED: { httpStatus: 401, trpcCode: "UNAUTHORIZED", title: "Authentication required" },
  FORBIDDEN: { httpStatus: 403, trpcCode: "FORBIDDEN", title: "Forbidden" },
  NOT_FOUND: { httpStatus: 404, trpcCode: "NOT_FOUND", title: "Not found" },
  METHOD_NOT_ALLOWED: { httpStatus: 405, trpcCode: "METHOD_NOT_SUPPORTED", title: "Method not allowed" },
  CONFLICT: { httpStatus: 409, trpcCode: "CONFLICT", title: "Conflict" },
  OPERATION_IN_PROGRESS: { httpStatus: 409, trpcCode: "CONFLICT", title: "Operation in progress" },
  PAYLOAD_TOO_LARGE: { httpStatus: 413, trpcCode: "PAYLOAD_TOO_LARGE", title: "Payload too large" },
  URI_TOO_LONG: { httpStatus: 414, trpcCode: "BAD_REQUEST", title: "URI too long" },
  UNSUPPORTED_MEDIA_TYPE: { httpStatus: 415, trpcCode: "UNSUPPORTED_MEDIA_TYPE", title: "Unsupported media type" },
  VALIDATION_FAILED: { httpStatus: 422, trpcCode: "UNPROCESSABLE_CONTENT", title: "Validation failed" },
  UNPROCESSABLE: { httpStatus: 422, trpcCode: "UNPROCESSABLE_CONTENT", title: "Unprocessable request" },
  CHECK_FAILED: { httpStatus: 422, trpcCode: "UNPROCESSABLE_CONTENT", title: "Pre-upgrade check failed" },
  TOO_MANY_REQUESTS: { httpStatus: 429, trpcCode: "TOO_MANY_REQUESTS", title: "Too many requests" },
  SERVICE_UNAVAILABLE: { httpStatus: 503, trpcCode: "SERVICE_UNAVAILABLE", title: "Service unavailable" },
} as const;

export type DomainErrorCode = keyof typeof ERROR_TABLE;

export class DomainError extends Error {
  readonly code: DomainErrorCode;
  readonly errors?: FieldError[];
  /** Extra members for the problem document (e.g. the operation in progress, the checks). */
  readonly extensions?: Record<string, unknown>;
  /** Response headers that belong to the answer (Retry-After, Location), on faces that have headers. */
  readonly headers?: Record<string, string>;

  constructor(
    code: DomainErrorCode,
    message: string,
    options: { errors?: FieldError[]; extensions?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = "DomainError";
    this.code = code;
    this.errors = options.errors;
    this.extensions = options.extensions;
    this.headers = options.headers;
  }

  get httpStatus(): number {
    return ERROR_TABLE[this.code].httpStatus;
  }
}

export const notFound = (what: string) => new DomainError("NOT_FOUND", `${what} not found`);
export const forbidden = (message: string) => new DomainError("FORBIDDEN", message);
export const invalid = (errors: FieldError[], message = errors.map((e) => `${e.path}: ${e.message}`).join("; ")) =>
  new DomainError("VALIDATION_FAILED", message, { errors });
