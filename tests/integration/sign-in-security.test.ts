import { and, eq, sql } from "drizzle-orm";
import { encode } from "next-auth/jwt";
import { expect, it } from "vitest";
import { loadAuthSecret } from "@/server/auth/auth-secret";
import { checkCredentials } from "@/server/auth/credentials";
import { MAX_FAILED_SIGN_INS } from "@/server/auth/login-throttle";
import { actorFromSession } from "@/server/auth/session";
import { revokeSession, sessionUser, startSession } from "@/server/auth/sessions";
import { auditEvents } from "@/server/db/schema";
import { createUser } from "@/server/domain/users/create-user";
import { describeEachDatabase } from "../helpers/databases";
import { contextFor, unique } from "../helpers/fixtures";

describeEachDatabase("sign-in under attack", (getDb) => {
  it("checks at most the lockout's number of passwords, however many wrong sign-ins run in parallel", async () => {
    const { db } = getDb();
    const email = `${unique("victim")}@example.com`;
    await createUser({ ctx: contextFor(db), input: { email, password: "right-password", role: "viewer", tenantId: null } });
    const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => checkCredentials(db, { email, password: `wrong-${i}` })));
    expect(outcomes.filter((o) => o.kind === "invalid")).toHaveLength(MAX_FAILED_SIGN_INS);
    expect(outcomes.filter((o) => o.kind === "throttled")).toHaveLength(30 - MAX_FAILED_SIGN_INS);
    // Each checked password left one "wrong-password" failure in the audit log.
    const checked = await db
      .select({ n: sql<number>`count(*)::int` })
      .from(auditEvents)
      .where(and(eq(auditEvents.actor, email), sql`${auditEvents.summary}->>'reason' = 'wrong-password'`));
    expect(checked[0]!.n).toBe(MAX_FAILED_SIGN_INS);
    // Locked even for the right password, which is not checked.
    expect((await checkCredentials(db, { email, password: "right-password" })).kind).toBe("throttled");
  });

  it("treats an e-mail with NUL or a lone surrogate as a plain failed sign-in", async () => {
    const { db } = getDb();
    expect(await checkCredentials(db, { email: "admin\u0000@example.com", password: "whatever-password" })).toEqual({ kind: "invalid" });
    expect(await checkCredentials(db, { email: "\ud800@example.com", password: "whatever-password" })).toEqual({ kind: "invalid" });
    const [recorded] = await db.select().from(auditEvents).where(eq(auditEvents.actor, "admin\ufffd@example.com"));
    expect(recorded?.action).toBe("auth.sign-in.failure");
  });

  it("ends one session on sign-out on the server, leaving the user's other sessions", async () => {
    const { db } = getDb();
    const secret = await loadAuthSecret(db);
    const user = await createUser({ ctx: contextFor(db), input: { email: `${unique("u")}@example.com`, password: "right-password", role: "viewer", tenantId: null } });
    const [laptop, phone] = [await startSession(db, user.id, 3600), await startSession(db, user.id, 3600)];
    const cookieFor = async (sid: string) => `next-auth.session-token=${await encode({ token: { uid: user.id, sid }, secret })}`;
    const request = (cookie: string) => new Request("http://localhost/api/v1/helm/releases", { headers: { cookie } });
    const laptopCookie = await cookieFor(laptop);
    expect(await actorFromSession(db, request(laptopCookie))).toMatchObject({ id: user.id });

    await revokeSession(db, laptop, "req-sign-out");
    expect(await actorFromSession(db, request(laptopCookie))).toBeNull();
    expect(await sessionUser(db, laptop, user.id)).toBeUndefined();
    expect(await actorFromSession(db, request(await cookieFor(phone)))).toMatchObject({ id: user.id });
    const [event] = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "auth.sign-out"), eq(auditEvents.targetId, user.id)));
    expect(event).toMatchObject({ actor: user.email, requestId: "req-sign-out" });

    // A cookie naming someone else's session, or none, is no session at all.
    const other = await createUser({ ctx: contextFor(db), input: { email: `${unique("o")}@example.com`, password: "right-password", role: "viewer", tenantId: null } });
    expect(await sessionUser(db, phone, other.id)).toBeUndefined();
    expect(await actorFromSession(db, request(`next-auth.session-token=${await encode({ token: { uid: user.id }, secret })}`))).toBeNull();
  });

  it("ends a session at its absolute expiry even while it is used", async () => {
    const { db } = getDb();
    const user = await createUser({ ctx: contextFor(db), input: { email: `${unique("e")}@example.com`, password: "right-password", role: "viewer", tenantId: null } });
    const sid = await startSession(db, user.id, 0);
    expect(await sessionUser(db, sid, user.id)).toBeUndefined();
  });
});
