import { MAX_BODY_BYTES } from "@/contracts/common";
import type { Actor } from "@/server/auth/actor";
import { getDb } from "@/server/db/client";
import { ensureReady } from "@/server/bootstrap/ensure-ready";
import { isStopping } from "@/server/bootstrap/stopping";
import { requirePlatformAdmin } from "@/server/domain/access/rules";
import type { DomainContext } from "@/server/domain/context";
import { DomainError } from "@/server/domain/errors";
import { authenticate } from "./authenticate";
import { canonicalJson, claimIdempotencyKey, requestHash, type StoredResponse } from "./idempotency";
import { assertSafeUrl, parseJsonBody, readBody } from "./parse";
import { currentRequest, requestIdFrom } from "@/server/observability/request-context";
import { errorToResponse } from "./problem";

export type JsonResult = {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
  /** What an idempotent replay answers instead of body, when body holds a secret shown only once. */
  replayBody?: unknown;
};

export interface RouteArgs<P = Record<string, string>> {
  req: Request;
  url: URL;
  params: P;
  ctx: DomainContext;
  /** The parsed JSON body (undefined when empty). */
  json: () => unknown;
  /** The raw body, for endpoints that take a file. */
  bytes: Uint8Array;
}

export interface RouteOptions {
  maxBodyBytes?: number;
  /** Content types this route accepts besides JSON (e.g. a chart archive). */
  accepts?: string[];
  /**
   * A role rule settled before the body is parsed, for endpoints that some roles may not use
   * at all (e.g. requirePlatformAdmin): a viewer learns 403, not which field it got wrong.
   * The use case checks again; this only orders the answers.
   */
  authorize?: (actor: Actor) => void;
}

const JSON_TYPE = /^application\/([\w.+-]+\+)?json\b/i;

/**
 * Wraps a thin REST handler: body limits, authentication, Idempotency-Key on POST, and every
 * error as problem+json; once a clean stop has begun, new changes are refused (503). Handlers
 * only parse, call the domain and answer. The request id, log line and metrics come from
 * observeRequest, around it (endpoint.ts).
 */
export function route<P extends Record<string, string> = Record<string, never>>(
  handler: (args: RouteArgs<P>) => Promise<JsonResult | Response>,
  options: RouteOptions = {},
) {
  return async (req: Request, context: { params: Promise<P> }): Promise<Response> => {
    const requestId = requestIdFor(req);
    try {
      if (isStopping() && req.method !== "GET" && req.method !== "HEAD") {
        throw new DomainError("SERVICE_UNAVAILABLE", "this instance is stopping and takes no new work; retry (another instance will answer)", { headers: { "Retry-After": "5" } });
      }
      await ensureReady();
      const db = await getDb();
      const bytes = req.method === "GET" || req.method === "HEAD" ? new Uint8Array() : await readBody(req, options.maxBodyBytes ?? MAX_BODY_BYTES);
      const contentType = req.headers.get("content-type") ?? "";
      const acceptsType = !contentType || JSON_TYPE.test(contentType) || (options.accepts ?? []).some((t) => contentType.toLowerCase().startsWith(t));
      if (bytes.byteLength > 0 && !acceptsType) {
        throw new DomainError("UNSUPPORTED_MEDIA_TYPE", `Content-Type ${contentType} is not accepted here; send application/json`);
      }
      const actor = await authenticate(db, req);
      options.authorize?.(actor);
      const url = new URL(req.url);
      // Next decodes path segments lazily: invalid UTF-8 (%ED%A0%80, a lone surrogate) fails here.
      const params = await Promise.resolve(context?.params ?? ({} as P)).catch(() => {
        throw new DomainError("BAD_REQUEST", "the URL's path is not valid percent-encoded UTF-8", { errors: [{ path: "(path)", message: "is not valid UTF-8" }] });
      });
      assertSafeUrl(url, params);
      let parsed: { value: unknown } | undefined;
      const isJson = JSON_TYPE.test(contentType) || !contentType;
      const json = () => (parsed ??= { value: isJson ? parseJsonBody(bytes) : undefined }).value;
      const run = (ctx: DomainContext): Promise<JsonResult | Response> => handler({ req, url, params, ctx, json, bytes });

      const key = req.method === "POST" ? req.headers.get("idempotency-key") : null;
      if (key === null) return toResponse(await run({ db, actor, requestId }), requestId);
      // Semantically equal requests are the same request: keys in any order, any spacing.
      const body = isJson ? canonicalJson(json() ?? null) : Buffer.from(bytes).toString("base64");
      const query = canonicalJson([...url.searchParams].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
      const hash = requestHash(`${req.method} ${url.pathname}\n${query}\n${isJson ? "json" : contentType}\n${body}`);
      const claim = await claimIdempotencyKey(db, `${actor.kind}:${actor.id}`, key, hash);
      if (claim.kind === "replay") return replayResponse(claim.response, requestId);
      let response: Response;
      try {
        const result = await run({ db: claim.db, actor, requestId });
        response = toResponse(result, requestId);
        // A stream is not read to be kept: its replay repeats the status and headers only.
        await claim.answer(result instanceof Response ? { status: response.status, body: null, headers: replayedHeaders(response) } : await storable(response.clone(), result.replayBody));
      } catch (e) {
        response = errorToResponse(e, requestId);
        await claim.fail(await storable(response.clone(), undefined));
      }
      return response;
    } catch (error) {
      return errorToResponse(error, requestId);
    }
  };
}

/** This request's id: the one observeRequest settled (the caller's valid X-Request-Id, or a new one). */
export const requestIdFor = (req: Request) => currentRequest()?.requestId ?? requestIdFrom(req);

// Headers that belong to one exchange, not to the answer a replay repeats.
const UNREPLAYED_HEADERS = new Set(["x-request-id", "set-cookie", "date", "connection", "transfer-encoding"]);

function replayedHeaders(response: Response): Record<string, string> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    if (!UNREPLAYED_HEADERS.has(name)) headers[name] = value;
  });
  return headers;
}

async function storable(response: Response, replayBody: unknown): Promise<StoredResponse> {
  const body = replayBody !== undefined ? JSON.stringify(replayBody) : response.body ? await response.text() : null;
  return { status: response.status, body, headers: replayedHeaders(response) };
}

function replayResponse(stored: StoredResponse, requestId: string): Response {
  return new Response(stored.body, { status: stored.status, headers: { ...stored.headers, "Idempotent-Replayed": "true", "X-Request-Id": requestId } });
}

function toResponse(result: JsonResult | Response, requestId: string): Response {
  if (result instanceof Response) {
    result.headers.set("X-Request-Id", requestId);
    return result;
  }
  const status = result.status ?? 200;
  return new Response(status === 204 ? null : JSON.stringify(result.body), {
    status,
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store", "X-Request-Id": requestId, ...result.headers },
  });
}

/**
 * `Link: <…>; rel="next"` for a page that has a successor: the request's URL with the next
 * cursor, keeping only the parameters the operation understood (`understood`, its parsed
 * query). An ignored parameter is not echoed: 15 KiB of it would make the answer's headers
 * longer than Node's clients read (16 KiB), while what is understood is bounded by its schema.
 */
export function nextLinkHeader(url: URL, nextCursor: string | null, understood: object): Record<string, string> {
  if (!nextCursor) return {};
  const next = new URL(url);
  for (const name of new Set(next.searchParams.keys())) if (!(name in understood)) next.searchParams.delete(name);
  next.searchParams.set("cursor", nextCursor);
  return { Link: `<${next.pathname}${next.search}>; rel="next"` };
}

/** `authorize` for endpoints only platform admins may use at all. */
export const onlyPlatformAdmin = (action: string) => (actor: Actor) => requirePlatformAdmin(actor, action);
