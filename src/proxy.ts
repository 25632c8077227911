import { NextResponse, type NextRequest } from "next/server";
import { MAX_REDIRECT_URL_LENGTH, uriTooLongDetail } from "@/contracts/redirects";
import { DomainError } from "@/server/domain/errors";
import { problemResponse } from "@/server/http/problem";
import { requestIdFrom } from "@/server/observability/request-id";

/** The path (and query) a page was asked for, as a request header the signed-in layout reads. */
export const REQUEST_PATH_HEADER = "x-helmdeck-path";

/**
 * A layout is not told which page it wraps; the session gate needs it to send a visitor to
 * /sign-in and back again. Set here on every page request (a client's own value is replaced).
 * Pages get a request id too, as API answers do (the caller's valid x-request-id, or a new one).
 */
export function proxy(req: NextRequest) {
  const refused = refuseUndecodablePath(req) ?? redirectTrailingSlash(req);
  if (refused) return refused;
  if (req.nextUrl.pathname.startsWith("/api/")) return NextResponse.next();
  const headers = new Headers(req.headers);
  headers.set(REQUEST_PATH_HEADER, `${req.nextUrl.pathname}${req.nextUrl.search}`);
  const requestId = requestIdFrom(req);
  headers.set("x-request-id", requestId);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("X-Request-Id", requestId);
  return response;
}

/**
 * A path whose percent-encoding is not UTF-8 (%ED%A0%80 is a lone surrogate, %FF no
 * character at all) makes Next's router fail with a bare 500 before any handler runs:
 * it is refused here with a 400 problem instead.
 */
function refuseUndecodablePath(req: NextRequest): Response | null {
  try {
    decodeURIComponent(req.nextUrl.pathname);
    return null;
  } catch {
    return problemResponse(new DomainError("BAD_REQUEST", "the URL's path is not valid percent-encoded UTF-8", { errors: [{ path: "(path)", message: "is not valid UTF-8" }] }));
  }
}

/**
 * `/api/v1/tenants/` answers 308 to `/api/v1/tenants`, as Next's own redirect (turned off in
 * next.config) did, but never echoes a URL too long to read back (contracts/redirects.ts).
 */
function redirectTrailingSlash(req: NextRequest): Response | null {
  const { pathname, search } = req.nextUrl;
  if (pathname === "/" || !pathname.endsWith("/")) return null;
  if (pathname.length + search.length > MAX_REDIRECT_URL_LENGTH) {
    return problemResponse(new DomainError("URI_TOO_LONG", uriTooLongDetail("ask for the path without its trailing slash")));
  }
  // Next makes a same-origin Location relative again, as its own redirect sent it.
  // A plain URL: a NextURL keeps the trailing slash it was parsed with when formatted.
  const target = new URL(req.nextUrl.href);
  target.pathname = pathname.replace(/\/+$/, "") || "/";
  return NextResponse.redirect(target, 308);
}

export const config = {
  // Pages, API paths that carry percent-encoding (the only ones that can fail to decode) and
  // API paths with a trailing slash; not Next's assets or files such as the icon.
  matcher: ["/((?!api/|_next/|.*\\.[a-z0-9]+$).*)", "/api/(.*%.*)", "/api/(.*/)"],
};
