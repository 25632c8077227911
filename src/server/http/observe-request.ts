import { beginWork } from "@/server/bootstrap/stopping";
import { log } from "@/server/observability/log";
import { recordHttpRequest } from "@/server/observability/metrics";
import { requestIdFrom, runWithRequestContext, type RequestContext } from "@/server/observability/request-context";
import { internalErrorResponse } from "./problem";

interface ObserveOptions {
  /** Probes: their request lines are debug, not info, so that a scrape every few seconds does not drown the log. */
  quiet?: boolean;
}

/** Sets a header even on a response whose headers are immutable (redirects, fetched responses). */
function withHeader(response: Response, name: string, value: string): Response {
  try {
    response.headers.set(name, value);
    return response;
  } catch {
    const copy = new Response(response.body, { status: response.status, statusText: response.statusText, headers: new Headers(response.headers) });
    copy.headers.set(name, value);
    return copy;
  }
}

/**
 * Serves one request of any face (REST, tRPC, sign-in, probes) under its request id: the
 * caller's valid `x-request-id` or a new one, in every log line written meanwhile and in the
 * response's `X-Request-Id`; one log line and one metrics sample per request, labelled by
 * route template; and the request counted as in flight, so that a clean stop waits for it.
 * For an event stream, status and duration are those of the moment the stream opened.
 */
export async function observeRequest(req: Request, route: string, handle: () => Promise<Response>, options: ObserveOptions = {}): Promise<Response> {
  const context: RequestContext = { requestId: requestIdFrom(req) };
  const started = performance.now();
  const done = beginWork();
  return runWithRequestContext(context, async () => {
    let response: Response;
    try {
      response = await handle();
    } catch (error) {
      response = internalErrorResponse(error, context.requestId);
    } finally {
      done();
    }
    response = withHeader(response, "X-Request-Id", context.requestId);
    const seconds = (performance.now() - started) / 1000;
    recordHttpRequest(req.method, route, response.status, seconds);
    const line = { method: req.method, route, status: response.status, durationMs: Math.round(seconds * 10_000) / 10 };
    if (response.status >= 500) log.error(line, "request");
    else if (options.quiet) log.debug(line, "request");
    else log.info(line, "request");
    return response;
  });
}
