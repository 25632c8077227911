import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { MAX_REDIRECT_URL_LENGTH, uriTooLongDetail } from "@/contracts/redirects";
import { authOptions, TOO_MANY_ATTEMPTS } from "@/server/auth/next-auth";
import { ensureReady } from "@/server/bootstrap/ensure-ready";
import { DomainError } from "@/server/domain/errors";
import { observeRequest } from "@/server/http/observe-request";
import { problemResponse } from "@/server/http/problem";

type Context = { params: Promise<{ nextauth: string[] }> };

const ACTIONS = new Set(["signin", "signout", "callback", "session", "csrf", "providers", "error", "verify-request", "_log"]);

/** next-auth's action (and `:provider`) as the route label: what a caller puts in the path never becomes one. */
function authRoute(segments: string[]): string {
  const [action, ...rest] = segments;
  if (!action || !ACTIONS.has(action)) return "/api/auth/*";
  return `/api/auth/${action}${rest.length > 0 ? "/:provider" : ""}`;
}

/** The error a next-auth answer carries: in its Location, or in the JSON body of `redirect: false` calls. */
async function errorCode(response: Response): Promise<string | null> {
  const location = response.headers.get("location");
  if (location) return new URL(location, "http://x").searchParams.get("error");
  if (!response.headers.get("content-type")?.includes("application/json")) return null;
  const body = (await response.clone().json().catch(() => null)) as { url?: unknown } | null;
  return typeof body?.url === "string" ? new URL(body.url, "http://x").searchParams.get("error") : null;
}

async function handler(req: NextRequest, context: Context): Promise<Response> {
  const { nextauth } = await context.params;
  return observeRequest(req, authRoute(nextauth), () => signInOrOut(req, context));
}

/**
 * next-auth's own handler, after start-up (the session secret may live in the database).
 * A locked-out sign-in leaves as 429 instead of next-auth's generic 401, so that clients
 * (and `signIn(…, { redirect: false })`, whose `status` mirrors it) can tell it apart.
 */
async function signInOrOut(req: NextRequest, context: Context): Promise<Response> {
  // next-auth redirects with what it was given (`/api/auth/error?error=…` to /sign-in?error=…).
  if (req.nextUrl.pathname.length + req.nextUrl.search.length > MAX_REDIRECT_URL_LENGTH) {
    return problemResponse(new DomainError("URI_TOO_LONG", uriTooLongDetail("no sign-in URL needs more")));
  }
  // next-auth answers a credentials callback that is not a POST with a plain-text 500.
  if (req.method !== "POST" && req.nextUrl.pathname.endsWith("/callback/credentials")) {
    return problemResponse(new DomainError("METHOD_NOT_ALLOWED", `${req.method} is not allowed on /api/auth/callback/credentials; allowed: POST`), { Allow: "POST" });
  }
  await ensureReady();
  const response: Response = await NextAuth(req, context, authOptions);
  if (req.method === "POST" && req.nextUrl.pathname.endsWith("/callback/credentials") && (await errorCode(response)) === TOO_MANY_ATTEMPTS) {
    return new Response(response.body, { status: 429, headers: response.headers });
  }
  return response;
}

export { handler as GET, handler as POST };
