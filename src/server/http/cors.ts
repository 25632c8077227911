import { env } from "@/env";

/** What a cross-origin caller may send and read: a bearer token, JSON, and our own headers. */
const ALLOWED_HEADERS = "Authorization, Content-Type, Idempotency-Key, X-Request-Id, Last-Event-ID, trpc-accept";
const EXPOSED_HEADERS = "Location, Link, Idempotent-Replayed, X-Request-Id, Allow, WWW-Authenticate";

/**
 * The Access-Control-Allow-Origin value for this request's Origin, or null when that origin
 * is not configured (HELMDECK_CORS_ORIGINS, default none). Credentials are never allowed
 * cross-origin, so a `*` can never be combined with cookies: other sites use bearer tokens.
 */
function allowedOrigin(req: Request): string | null {
  const origin = req.headers.get("origin");
  if (!origin) return null;
  const configured = env().HELMDECK_CORS_ORIGINS;
  if (configured.includes(origin)) return origin;
  return configured.includes("*") ? "*" : null;
}

/** Adds the CORS headers an allowed origin needs to read this answer. */
export function withCors(req: Request, res: Response): Response {
  const origin = allowedOrigin(req);
  if (env().HELMDECK_CORS_ORIGINS.length > 0) res.headers.append("Vary", "Origin");
  if (!origin) return res;
  res.headers.set("Access-Control-Allow-Origin", origin);
  res.headers.set("Access-Control-Expose-Headers", EXPOSED_HEADERS);
  return res;
}

/** An OPTIONS request: a browser's preflight, or someone asking which methods a path takes. */
export function optionsResponse(req: Request, allow: readonly string[]): Response {
  const headers = new Headers({ Allow: allow.join(", "), "Cache-Control": "no-store" });
  const origin = allowedOrigin(req);
  if (origin && req.headers.get("access-control-request-method")) {
    headers.set("Access-Control-Allow-Origin", origin);
    headers.set("Access-Control-Allow-Methods", allow.join(", "));
    headers.set("Access-Control-Allow-Headers", ALLOWED_HEADERS);
    headers.set("Access-Control-Max-Age", "600");
  }
  if (env().HELMDECK_CORS_ORIGINS.length > 0) headers.set("Vary", "Origin");
  return new Response(null, { status: 204, headers });
}
