import type { z } from "zod";

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** The response headers the API sets, each described once in the OpenAPI document. */
export const RESPONSE_HEADERS = {
  Location: { description: "Where the created (or started) resource can be read.", schema: { type: "string", format: "uri-reference" } },
  Link: { description: 'RFC 8288 link to the next page: `<…>; rel="next"`. Absent on the last page.', schema: { type: "string" } },
  "Idempotent-Replayed": {
    description: "`true` when this is the stored answer to an earlier request with the same Idempotency-Key.",
    schema: { type: "string", enum: ["true"] },
  },
  "X-Request-Id": { description: "The request's id (the caller's X-Request-Id, or one made up); logs and 5xx answers name it.", schema: { type: "string" } },
  "WWW-Authenticate": { description: "How to authenticate: `Bearer`.", schema: { type: "string" } },
  "Retry-After": { description: "Seconds after which to retry.", schema: { type: "string" } },
} as const;
export type ResponseHeader = keyof typeof RESPONSE_HEADERS;

export interface ResponseSpec {
  description: string;
  /** The JSON body; none for an empty answer. */
  body?: z.ZodType;
  /** A body that is not JSON (an event stream), described in words. */
  stream?: { contentType: string; description: string };
  /** Headers this answer carries besides those every answer has. */
  headers?: readonly ResponseHeader[];
}

export type Tag = "Tenants" | "Charts" | "Releases" | "Fleet" | "Batches" | "Repositories" | "Policies" | "Webhooks" | "Audit" | "Tokens" | "Users" | "Meta";

/**
 * One operation of /api/v1: everything the OpenAPI document says about it, and what the
 * route wrapper needs to answer it (who may call it at all, which bodies it reads).
 */
export interface OperationSpec {
  method: HttpMethod;
  /** The OpenAPI path template, e.g. `/helm/releases/{releaseId}`. */
  path: `/${string}`;
  tag: Tag;
  summary: string;
  description?: string;
  /** No credentials needed (the API description itself). */
  public?: true;
  /** Served but left out of the document (the document itself). */
  undocumented?: true;
  /** Only platform admins may call it: others get 403 before the body is read. */
  platformAdminOnly?: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  /** Request headers it reads besides Authorization, X-Request-Id and (on POST) Idempotency-Key. */
  requestHeaders?: readonly "Last-Event-ID"[];
  /** A list that pages with limit/cursor and a Link header. */
  paged?: true;
  body?: {
    json: z.ZodType;
    required: boolean;
    /** Content types read besides JSON, each with its own schema (e.g. a chart archive). */
    other?: Record<string, { description: string }>;
    maxBytes?: number;
  };
  responses: Partial<Record<200 | 201 | 202 | 204, ResponseSpec>>;
  /**
   * Problem answers particular to this operation. The ones any operation of its kind can
   * answer are added by the document: 401 without credentials, 400 for malformed path or
   * query values and JSON, 403 for a session-cookie change from another site or a role
   * that may not act, 409/422 for Idempotency-Key conflicts, 413/415/422 for bodies.
   */
  problems?: readonly number[];
}
