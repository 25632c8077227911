import { and, eq, isNull } from "drizzle-orm";
import { getToken } from "next-auth/jwt";
import type { Database } from "@/server/db/client";
import { users } from "@/server/db/schema";
import type { Actor } from "./actor";
import { authSecret } from "./auth-secret";
import { useSecureCookies } from "./next-auth";

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
 * included), then the user re-read from the database, so that a disabled or changed account
 * takes effect at the next request rather than when the cookie expires.
 */
export async function actorFromSession(db: Database, req: Request): Promise<Actor | null> {
  const secret = authSecret();
  const cookieName = sessionCookieName();
  const cookies = parseCookies(req.headers.get("cookie"));
  if (!secret || !Object.keys(cookies).some((name) => name.startsWith(cookieName))) return null;
  // Only the cookies are handed over: getToken would otherwise also accept an Authorization header as a session.
  const token = await getToken({ req: { cookies, headers: {} } as never, secret, cookieName, secureCookie: useSecureCookies(), logger: { error() {}, warn() {}, debug() {} } as never });
  if (!token?.uid || typeof token.uid !== "string" || !/^[0-9a-f-]{36}$/i.test(token.uid)) return null;
  const [user] = await db.select().from(users).where(and(eq(users.id, token.uid), isNull(users.disabledAt)));
  if (!user) return null;
  return { kind: "user", id: user.id, name: user.email, role: user.role, tenantId: user.tenantId };
}
