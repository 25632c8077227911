import type { DomainContext } from "@/server/domain/context";
import { DomainError } from "@/server/domain/errors";
import { optionsResponse, withCors } from "./cors";
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

/**
 * The handlers of one path, one per operation the table declares there (checked by the
 * compiler): each method the path does not answer is 405 problem+json with `Allow`, OPTIONS
 * answers `Allow` (and CORS preflights), and every answer carries the CORS headers.
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

  const cors = (handler: NextHandler): NextHandler => async (req, context) => withCors(req, await handler(req, context));
  return {
    GET: cors(byMethod.GET),
    POST: cors(byMethod.POST),
    PUT: cors(byMethod.PUT),
    PATCH: cors(byMethod.PATCH),
    DELETE: cors(byMethod.DELETE),
    OPTIONS: async (req: Request) => optionsResponse(req, allow),
  };
}
