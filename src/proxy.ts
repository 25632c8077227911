import { NextResponse, type NextRequest } from "next/server";
import { requestIdFrom } from "@/server/observability/request-id";

/** The path (and query) a page was asked for, as a request header the signed-in layout reads. */
export const REQUEST_PATH_HEADER = "x-helmdeck-path";

/**
 * A layout is not told which page it wraps; the session gate needs it to send a visitor to
 * /sign-in and back again. Set here on every page request (a client's own value is replaced).
 * Pages get a request id too, as API answers do (the caller's valid x-request-id, or a new one).
 */
export function proxy(req: NextRequest) {
  const headers = new Headers(req.headers);
  headers.set(REQUEST_PATH_HEADER, `${req.nextUrl.pathname}${req.nextUrl.search}`);
  const requestId = requestIdFrom(req);
  headers.set("x-request-id", requestId);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("X-Request-Id", requestId);
  return response;
}

export const config = {
  // Pages only: not the API, Next's assets or files such as the icon.
  matcher: ["/((?!api/|_next/|.*\\.[a-z0-9]+$).*)"],
};
