import "server-only";
import { and, eq, isNull } from "drizzle-orm";
import type { AuthOptions, User } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import type { OAuthConfig } from "next-auth/providers/oauth";
import { sameOriginPath } from "@/contracts/redirects";
import { emailSchema } from "@/contracts/users";
import { env } from "@/env";
import { getDb } from "@/server/db/client";
import { users } from "@/server/db/schema";
import { recordAuditEvent } from "@/server/domain/audit/record-audit-event";
import type { UserRow } from "@/server/domain/users/user-view";
import { log } from "@/server/observability/log";
import { currentRequest } from "@/server/observability/request-context";
import { authSecret } from "./auth-secret";
import { checkCredentials } from "./credentials";
import { revokeSession, sessionUser, startSession } from "./sessions";

/** The error code a locked-out sign-in reports; the auth route answers it with 429. */
export const TOO_MANY_ATTEMPTS = "TooManyAttempts";
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

/** Secure (__Secure-) cookies exactly when the app is served over https; session.ts reads the same name. */
export const useSecureCookies = () => env().NEXTAUTH_URL?.startsWith("https://") ?? false;

const toSessionUser = (u: UserRow): User => ({ id: u.id, name: u.name, email: u.email });

const activeUserByEmail = async (email: string) => {
  const db = await getDb();
  const [row] = await db.select().from(users).where(and(eq(users.email, email), isNull(users.disabledAt)));
  return row;
};

const credentials = CredentialsProvider({
  id: "credentials",
  name: "E-mail and password",
  credentials: { email: { label: "E-mail", type: "email" }, password: { label: "Password", type: "password" } },
  async authorize(input) {
    if (typeof input?.email !== "string" || typeof input.password !== "string") return null;
    const requestId = currentRequest()?.requestId;
    let outcome: Awaited<ReturnType<typeof checkCredentials>>;
    try {
      outcome = await checkCredentials(await getDb(), { email: input.email, password: input.password, requestId });
    } catch (err) {
      // next-auth puts a thrown message into the error page's URL: never a database error's SQL.
      log.error({ err }, "sign-in failed");
      throw new Error(`internal error (request ${requestId ?? "none"})`);
    }
    if (outcome.kind === "throttled") throw new Error(TOO_MANY_ATTEMPTS);
    return outcome.kind === "ok" ? toSessionUser(outcome.user) : null;
  },
});

/** next-auth's own messages, through our logger: the code and the error's safe summary, never its metadata whole. */
const authLogger: AuthOptions["logger"] = {
  error(code, metadata) {
    const err = metadata instanceof Error ? metadata : (metadata as { error?: unknown } | undefined)?.error;
    log.error({ err, code }, `next-auth: ${code}`);
  },
  warn(code) {
    log.warn({ code }, `next-auth: ${code}`);
  },
  debug() {},
};

/**
 * Single sign-on when HELMDECK_OIDC_ISSUER, _CLIENT_ID and _CLIENT_SECRET are set. People are
 * matched to existing users by verified e-mail; an unknown address is refused rather than
 * created, since a new account would need a role and tenant that only an admin can choose.
 */
function oidcProvider(): OAuthConfig<Record<string, unknown>> | null {
  const { HELMDECK_OIDC_ISSUER: issuer, HELMDECK_OIDC_CLIENT_ID: clientId, HELMDECK_OIDC_CLIENT_SECRET: clientSecret, HELMDECK_OIDC_NAME: name } = env();
  if (!issuer || !clientId || !clientSecret) return null;
  return {
    id: "oidc",
    name,
    type: "oauth",
    wellKnown: `${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`,
    clientId,
    clientSecret,
    authorization: { params: { scope: "openid email profile" } },
    idToken: true,
    checks: ["pkce", "state"],
    profile: (profile) => ({
      id: String(profile.sub),
      name: typeof profile.name === "string" ? profile.name : String(profile.email ?? profile.sub),
      email: profile.email_verified === false ? null : typeof profile.email === "string" ? profile.email : null,
    }),
  };
}

/**
 * next-auth v4 with JWT sessions: the cookie holds the user id (and, for the UI, the role
 * and tenant at sign-in). The secret is read through a getter because it may come from the
 * database (auth-secret.ts), which only ensureReady() has opened.
 */
export const authOptions: AuthOptions = {
  get secret() {
    return authSecret();
  },
  set secret(_ignored: string | undefined) {
    // next-auth assigns process.env.NEXTAUTH_SECRET when the getter is empty; env.ts owns that.
  },
  get useSecureCookies() {
    return useSecureCookies();
  },
  get providers() {
    const oidc = oidcProvider();
    return oidc ? [credentials, oidc] : [credentials];
  },
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  logger: authLogger,
  pages: { signIn: "/sign-in", error: "/sign-in" },
  events: {
    async signOut({ token }) {
      await revokeSession(await getDb(), token?.sid);
    },
  },
  callbacks: {
    async signIn({ user, account }) {
      if (account?.provider !== "oidc") return true;
      const email = emailSchema.safeParse(user.email).data;
      const known = email ? await activeUserByEmail(email) : undefined;
      await recordAuditEvent(await getDb(), { actor: { name: email ?? "unknown", role: known?.role ?? "anonymous" } }, {
        action: known ? "auth.sign-in.success" : "auth.sign-in.failure",
        targetType: "user",
        targetId: known?.id ?? null,
        tenantId: known?.tenantId ?? null,
        summary: { email: email ?? null, provider: "oidc", ...(known ? {} : { reason: "no-such-user" }) },
      });
      return known !== undefined;
    },
    async jwt({ token, user, account }) {
      if (!user) {
        // Every read of the session (the UI's /api/auth/session) asks the server whether it
        // still stands: a revoked one throws, and next-auth then clears the cookie.
        if (!(await sessionUser(await getDb(), token.sid, token.uid))) throw new Error("the session has ended (signed out, expired or the user was disabled)");
        return token;
      }
      // At sign-in: credentials already answered our user; OIDC answered its own subject id.
      const row = account?.provider === "oidc" ? await activeUserByEmail(emailSchema.parse(user.email)) : await activeUserById(user.id);
      if (!row) return token;
      const sid = await startSession(await getDb(), row.id, SESSION_MAX_AGE_SECONDS);
      return { ...token, sub: row.id, uid: row.id, sid, name: row.name, email: row.email, role: row.role, tenantId: row.tenantId };
    },
    /** Sign-in may only return to a page of this site, however the callbackUrl is spelled. */
    redirect({ url, baseUrl }) {
      const origin = new URL(baseUrl).origin;
      return `${origin}${sameOriginPath(url, origin)}`;
    },
    session({ session, token }) {
      if (token.uid && token.role) {
        session.user = { id: token.uid, name: token.name ?? "", email: token.email ?? "", role: token.role, tenantId: token.tenantId ?? null };
      }
      return session;
    },
  },
};

async function activeUserById(id: string) {
  const db = await getDb();
  const [row] = await db.select().from(users).where(and(eq(users.id, id), isNull(users.disabledAt)));
  return row;
}
