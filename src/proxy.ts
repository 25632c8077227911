import { NextResponse, type NextRequest } from "next/server";

/** The path (and query) a page was asked for, as a request header the signed-in layout reads. */
export const REQUEST_PATH_HEADER = "x-helmdeck-path";

/**
 * A layout is not told which page it wraps; the session gate needs it to send a visitor to
 * /sign-in and back again. Set here on every page request (a client's own value is replaced).
 */
export function proxy(req: NextRequest) {
  const headers = new Headers(req.headers);
  headers.set(REQUEST_PATH_HEADER, `${req.nextUrl.pathname}${req.nextUrl.search}`);
  return NextResponse.next({ request: { headers } });
}

export const config = {
  // Pages only: not the API, Next's assets or files such as the icon.
  matcher: ["/((?!api/|_next/|.*\\.[a-z0-9]+$).*)"],
};
