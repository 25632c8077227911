import { randomUUID } from "node:crypto";
import { MAX_BODY_BYTES } from "@/contracts/common";
import type { Actor } from "@/server/auth/actor";
import { getDb } from "@/server/db/client";
import { ensureReady } from "@/server/bootstrap/ensure-ready";
import { requirePlatformAdmin } from "@/server/domain/access/rules";
import type { DomainContext } from "@/server/domain/context";
import { DomainError } from "@/server/domain/errors";
import { authenticate } from "./authenticate";
import { claimIdempotencyKey } from "./idempotency";
import { parseJsonBody } from "./parse";
import { readBody } from "./parse";
import { errorToResponse } from "./problem";

export type JsonResult = { status?: number; body: unknown; headers?: Record<string, string> };

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
 * Wraps a thin REST handler: request id, body limits, authentication, Idempotency-Key on
 * POST, and every error as problem+json. Handlers only parse, call the domain and answer.
 */
export function route<P extends Record<string, string> = Record<string, never>>(
  handler: (args: RouteArgs<P>) => Promise<JsonResult | Response>,
  options: RouteOptions = {},
) {
  return async (req: Request, context: { params: Promise<P> }): Promise<Response> => {
    const requestId = requestIdFor(req);
    try {
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
      const ctx: DomainContext = { db, actor, requestId };
      const url = new URL(req.url);
      const params = await context.params;
      let parsed: { value: unknown } | undefined;
      const json = () => (parsed ??= { value: JSON_TYPE.test(contentType) || !contentType ? parseJsonBody(bytes) : undefined }).value;
      const run = async (): Promise<JsonResult | Response> => handler({ req, url, params, ctx, json, bytes });

      const key = req.method === "POST" ? req.headers.get("idempotency-key") : null;
      if (key === null) return toResponse(await run(), requestId);
      const fingerprint = `${req.method} ${url.pathname}${url.search}\n${contentType}\n${Buffer.from(bytes).toString("base64")}`;
      const claim = await claimIdempotencyKey(db, `${actor.kind}:${actor.id}`, key, fingerprint);
      if (claim.kind === "replay") {
        return toResponse({ ...claim.response, headers: { ...claim.response.headers, "Idempotent-Replayed": "true" } }, requestId);
      }
      try {
        const result = await run();
        if (result instanceof Response) {
          await claim.abandon();
          return result;
        }
        await claim.complete({ status: result.status ?? 200, body: result.body, headers: result.headers ?? {} });
        return toResponse(result, requestId);
      } catch (e) {
        await claim.abandon();
        throw e;
      }
    } catch (error) {
      return errorToResponse(error, requestId);
    }
  };
}

/** The caller's X-Request-Id, or a new one. */
export const requestIdFor = (req: Request) => req.headers.get("x-request-id")?.slice(0, 100) || randomUUID();

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

/** `Link: <…>; rel="next"` for a page that has a successor. */
export function nextLinkHeader(url: URL, nextCursor: string | null): Record<string, string> {
  if (!nextCursor) return {};
  const next = new URL(url);
  next.searchParams.set("cursor", nextCursor);
  return { Link: `<${next.pathname}${next.search}>; rel="next"` };
}

/** `authorize` for endpoints only platform admins may use at all. */
export const onlyPlatformAdmin = (action: string) => (actor: Actor) => requirePlatformAdmin(actor, action);
