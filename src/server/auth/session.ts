import { getToken } from "next-auth/jwt";
import type { Database } from "@/server/db/client";
import type { Actor } from "./actor";
import { authSecret } from "./auth-secret";
import { useSecureCookies } from "./next-auth";
import { sessionUser } from "./sessions";

const sessionCookieName = () => (useSecureCookies() ? "__Secure-next-auth.session-token" : "next-auth.session-token");

/** The Cookie header as name → value (first one wins, as browsers send the most specific first). */
export function parseCookies(header: string | null): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (name in cookies) continue;
    try {
      cookies[name] = decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      cookies[name] = part.slice(eq + 1).trim();
    }
  }
  return cookies;
}

/**
 * The actor of a signed-in UI session: the next-auth JWT from the cookies (chunked cookies
 * included), then its session row and user re-read from the database, so that a sign-out,
 * a disabled or a changed account takes effect at the next request rather than when the
 * cookie expires.
 */
export async function actorFromSession(db: Database, req: Request): Promise<Actor | null> {
  const secret = authSecret();
  const cookieName = sessionCookieName();
  const cookies = parseCookies(req.headers.get("cookie"));
  if (!secret || !Object.keys(cookies).some((name) => name.startsWith(cookieName))) return null;
  // Only the cookies are handed over: getToken would otherwise also accept an Authorization header as a session.
  const token = await getToken({ req: { cookies, headers: {} } as never, secret, cookieName, secureCookie: useSecureCookies(), logger: { error() {}, warn() {}, debug() {} } as never });
  const user = token ? await sessionUser(db, token.sid, token.uid) : undefined;
  if (!user) return null;
  return { kind: "user", id: user.id, name: user.email, role: user.role, tenantId: user.tenantId };
}
