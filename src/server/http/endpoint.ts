import type { DomainContext } from "@/server/domain/context";
import { DomainError } from "@/server/domain/errors";
import { optionsResponse, withCors } from "./cors";
import { observeRequest } from "./observe-request";
import { HTTP_METHODS, type HttpMethod, type OperationSpec } from "./operation-spec";
import { operations, type ApiPath, type OperationId, type Operations } from "./operations";
import { errorToResponse, problemResponse } from "./problem";
import { onlyPlatformAdmin, requestIdFor, route, type JsonResult, type RouteArgs, type RouteOptions } from "./route";

/** `{releaseId: string, revision: string}` from `/helm/releases/{releaseId}/revisions/{revision}`. */
type PathParams<P extends string> = P extends `${string}{${infer Name}}${infer Rest}` ? { [K in Name]: string } & PathParams<Rest> : Record<never, string>;

/** The operationIds the table declares at a path. */
type OperationsAt<P extends ApiPath> = { [K in OperationId]: Operations[K]["path"] extends P ? K : never }[OperationId];

export type Handler<P extends ApiPath> = (args: RouteArgs<PathParams<P>>) => Promise<JsonResult | Response>;

type NextHandler = (req: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

function routeOptions(op: OperationSpec): RouteOptions {
  return {
    authorize: op.platformAdminOnly ? onlyPlatformAdmin(op.platformAdminOnly) : undefined,
    maxBodyBytes: op.body?.maxBytes,
    accepts: Object.keys(op.body?.other ?? {}),
  };
}

/** An operation anyone may call (the API description): no database, no credentials. */
function publicRoute(handler: Handler<ApiPath>): NextHandler {
  return async (req, context) => {
    const requestId = requestIdFor(req);
    try {
      const args = {
        req,
        url: new URL(req.url),
        params: await context.params,
        json: () => undefined,
        bytes: new Uint8Array(),
        get ctx(): DomainContext {
          throw new Error("a public operation has no caller");
        },
      };
      const result = await handler(args as RouteArgs<never>);
      if (result instanceof Response) {
        result.headers.set("X-Request-Id", requestId);
        return result;
      }
      const headers = { "Content-Type": "application/json", "X-Request-Id": requestId, ...result.headers };
      return new Response(JSON.stringify(result.body), { status: result.status ?? 200, headers });
    } catch (error) {
      return errorToResponse(error, requestId);
    }
  };
}

/** The path as a metrics and log label: `/api/v1/helm/releases/:releaseId/upgrade`, never a raw id. */
const routeLabel = (path: string) => `/api/v1${path.replace(/\{(\w+)\}/g, ":$1")}`;

/**
 * The handlers of one path, one per operation the table declares there (checked by the
 * compiler): each method the path does not answer is 405 problem+json with `Allow`, OPTIONS
 * answers `Allow` (and CORS preflights), and every answer carries the CORS headers, the
 * request id and its log line and metrics (observeRequest), labelled by the path template.
 *
 *   export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/tenants", { listTenants, createTenant });
 */
export function endpoint<P extends ApiPath>(path: P, handlers: { [K in OperationsAt<P>]: Handler<P> }) {
  const declared = (Object.entries(operations) as [OperationId, OperationSpec][]).filter(([, op]) => op.path === path);
  const methods = declared.map(([, op]) => op.method);
  const allow = [...methods, ...(methods.includes("GET") ? ["HEAD"] : []), "OPTIONS"];

  const notAllowed: NextHandler = async (req) =>
    problemResponse(new DomainError("METHOD_NOT_ALLOWED", `${req.method} is not allowed on ${new URL(req.url).pathname}; allowed: ${allow.join(", ")}`), {
      Allow: allow.join(", "),
      "X-Request-Id": requestIdFor(req),
    });

  const byMethod = Object.fromEntries(HTTP_METHODS.map((m) => [m, notAllowed])) as Record<HttpMethod, NextHandler>;
  for (const [operationId, op] of declared) {
    const handler = (handlers as Record<string, Handler<P>>)[operationId];
    if (!handler) throw new Error(`${path}: no handler for ${operationId}`);
    byMethod[op.method] = op.public
      ? publicRoute(handler as Handler<ApiPath>)
      : (route(handler as (args: RouteArgs<Record<string, string>>) => Promise<JsonResult | Response>, routeOptions(op)) as NextHandler);
  }

  const label = routeLabel(path);
  const observed = (handler: NextHandler): NextHandler => (req, context) => observeRequest(req, label, async () => withCors(req, await handler(req, context)));
  return {
    GET: observed(byMethod.GET),
    POST: observed(byMethod.POST),
    PUT: observed(byMethod.PUT),
    PATCH: observed(byMethod.PATCH),
    DELETE: observed(byMethod.DELETE),
    OPTIONS: (req: Request) => observeRequest(req, label, async () => optionsResponse(req, allow)),
  };
}
