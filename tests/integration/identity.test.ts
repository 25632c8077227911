import { and, eq } from "drizzle-orm";
import { encode } from "next-auth/jwt";
import { expect, it } from "vitest";
import { loadAuthSecret } from "@/server/auth/auth-secret";
import { checkCredentials } from "@/server/auth/credentials";
import { MAX_FAILED_SIGN_INS } from "@/server/auth/login-throttle";
import { actorFromSession } from "@/server/auth/session";
import { startSession } from "@/server/auth/sessions";
import { auditEvents, loginAttempts, users } from "@/server/db/schema";
import { DomainError } from "@/server/domain/errors";
import { createUser } from "@/server/domain/users/create-user";
import { disableUser } from "@/server/domain/users/disable-user";
import { ensureFirstAdmin } from "@/server/domain/users/ensure-first-admin";
import { listUsers } from "@/server/domain/users/list-users";
import { describeEachDatabase, tenantAdminOf, viewerOf } from "../helpers/databases";
import { contextFor, givenTenant, unique } from "../helpers/fixtures";

const email = () => `${unique("user")}@example.com`;

async function codeOf(promise: Promise<unknown>): Promise<string | null> {
  return promise.then(
    () => null,
    (e: unknown) => (e instanceof DomainError ? e.code : String(e)),
  );
}

describeEachDatabase("identity", (getDb) => {
  it("creates users with a hashed password and an audit event; e-mail is unique whatever its case", async () => {
    const { db } = getDb();
    const tenant = await givenTenant(db);
    const address = email();
    const user = await createUser({ ctx: contextFor(db), input: { email: address, password: "s3cret-pass", role: "tenant-admin", tenantId: tenant.id } });
    expect(user).toMatchObject({ email: address, role: "tenant-admin", tenantId: tenant.id, hasPassword: true, disabledAt: null });
    const [row] = await db.select().from(users).where(eq(users.id, user.id));
    expect(row!.passwordHash).toMatch(/^scrypt\$/);
    const events = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "user.create"), eq(auditEvents.targetId, user.id)));
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events[0])).not.toContain("s3cret-pass");
    expect(await codeOf(createUser({ ctx: contextFor(db), input: { email: address.toUpperCase(), role: "viewer", tenantId: null } }))).toBe("CONFLICT");
  });

  it("lets only platform admins manage users, and never disables the last active platform admin", async () => {
    const { db } = getDb();
    const tenant = await givenTenant(db);
    const input = { email: email(), role: "viewer" as const, tenantId: tenant.id };
    expect(await codeOf(createUser({ ctx: contextFor(db, tenantAdminOf(tenant.id)), input }))).toBe("FORBIDDEN");
    expect(await codeOf(listUsers({ ctx: contextFor(db, viewerOf(null)) }))).toBe("FORBIDDEN");
    const admins = await db.select().from(users).where(eq(users.role, "platform-admin"));
    for (const admin of admins) await disableUser({ ctx: contextFor(db), userId: admin.id }).catch(() => {});
    const last = await createUser({ ctx: contextFor(db), input: { email: email(), role: "platform-admin", password: "long-enough" } });
    expect(await codeOf(disableUser({ ctx: contextFor(db), userId: last.id }))).toBe("CONFLICT");
    const other = await createUser({ ctx: contextFor(db), input: { email: email(), role: "platform-admin", password: "long-enough" } });
    expect((await disableUser({ ctx: contextFor(db), userId: last.id })).disabledAt).not.toBeNull();
    expect(await codeOf(disableUser({ ctx: contextFor(db), userId: "00000000-0000-4000-8000-000000000000" }))).toBe("NOT_FOUND");
    expect(other.role).toBe("platform-admin");
  });

  it("signs in with the right password only, records each attempt, and refuses disabled accounts", async () => {
    const { db } = getDb();
    const address = email();
    const user = await createUser({ ctx: contextFor(db), input: { email: address, password: "right-password", role: "viewer" } });
    expect((await checkCredentials(db, { email: address, password: "wrong-password" })).kind).toBe("invalid");
    expect((await checkCredentials(db, { email: "nobody@example.com", password: "right-password" })).kind).toBe("invalid");
    const ok = await checkCredentials(db, { email: ` ${address.toUpperCase()} `, password: "right-password", requestId: "req-1" });
    expect(ok.kind).toBe("ok");
    const attempts = await db.select().from(loginAttempts).where(eq(loginAttempts.email, address));
    expect(attempts.map((a) => a.succeeded).sort()).toEqual(["no", "yes"]);
    const [success] = await db.select().from(auditEvents).where(and(eq(auditEvents.action, "auth.sign-in.success"), eq(auditEvents.targetId, user.id)));
    expect(success).toMatchObject({ actor: address, actorRole: "viewer", requestId: "req-1" });
    await disableUser({ ctx: contextFor(db), userId: user.id });
    expect((await checkCredentials(db, { email: address, password: "right-password" })).kind).toBe("invalid");
  });

  it(`locks an address out after ${MAX_FAILED_SIGN_INS} failures, even for the right password; a success resets the count`, async () => {
    const { db } = getDb();
    const locked = email();
    await createUser({ ctx: contextFor(db), input: { email: locked, password: "right-password", role: "viewer" } });
    for (let i = 0; i < MAX_FAILED_SIGN_INS; i++) expect((await checkCredentials(db, { email: locked, password: `wrong-${i}` })).kind).toBe("invalid");
    const refused = await checkCredentials(db, { email: locked, password: "right-password" });
    expect(refused).toMatchObject({ kind: "throttled" });
    expect(refused.kind === "throttled" && refused.retryAfterSeconds).toBeGreaterThan(800);

    const reset = email();
    await createUser({ ctx: contextFor(db), input: { email: reset, password: "right-password", role: "viewer" } });
    for (let i = 0; i < MAX_FAILED_SIGN_INS - 1; i++) await checkCredentials(db, { email: reset, password: "wrong" });
    expect((await checkCredentials(db, { email: reset, password: "right-password" })).kind).toBe("ok");
    for (let i = 0; i < MAX_FAILED_SIGN_INS - 1; i++) await checkCredentials(db, { email: reset, password: "wrong" });
    expect((await checkCredentials(db, { email: reset, password: "right-password" })).kind).toBe("ok");
  });

  it("reads the session cookie's user from the database on every request", async () => {
    const { db } = getDb();
    const secret = await loadAuthSecret(db);
    expect(await loadAuthSecret(db)).toBe(secret); // stable: sessions survive restarts
    const tenant = await givenTenant(db);
    const user = await createUser({ ctx: contextFor(db), input: { email: email(), password: "right-password", role: "tenant-admin", tenantId: tenant.id } });
    const sid = await startSession(db, user.id, 3600);
    const jwt = await encode({ token: { uid: user.id, sid, role: "platform-admin", tenantId: null }, secret });
    const request = (cookie: string) => new Request("http://localhost/api/v1/helm/releases", { headers: { cookie } });
    // Role and tenant come from the users table, not from the cookie.
    expect(await actorFromSession(db, request(`other=1; next-auth.session-token=${jwt}`))).toEqual({ kind: "user", id: user.id, name: user.email, role: "tenant-admin", tenantId: tenant.id });
    expect(await actorFromSession(db, request(`next-auth.session-token=${jwt.slice(0, -2)}xx`))).toBeNull();
    expect(await actorFromSession(db, request(`next-auth.session-token=${await encode({ token: { uid: user.id }, secret: "another-secret-entirely" })}`))).toBeNull();
    await disableUser({ ctx: contextFor(db), userId: user.id });
    expect(await actorFromSession(db, request(`next-auth.session-token=${jwt}`))).toBeNull();
  });

  it("creates the first platform admin once, with a generated password, and resets it from configuration", async () => {
    const { db } = getDb();
    // Earlier tests made admins; this one needs a database without an active one.
    const active = await db.select().from(users).where(eq(users.role, "platform-admin"));
    for (const a of active) await db.update(users).set({ role: "viewer", tenantId: null }).where(eq(users.id, a.id));
    const address = email();
    const first = await ensureFirstAdmin(db, { email: address });
    expect(first).toMatchObject({ kind: "created", email: address });
    const password = first.kind === "created" ? first.generatedPassword! : "";
    expect(password.length).toBeGreaterThanOrEqual(20);
    expect((await checkCredentials(db, { email: address, password })).kind).toBe("ok");
    expect(await ensureFirstAdmin(db, { email: address })).toEqual({ kind: "unchanged" });
    expect(await ensureFirstAdmin(db, { email: address, password: "chosen-password" })).toEqual({ kind: "reset", email: address });
    expect(await ensureFirstAdmin(db, { email: address, password: "chosen-password" })).toEqual({ kind: "unchanged" });
    expect((await checkCredentials(db, { email: address, password: "chosen-password" })).kind).toBe("ok");
  });
});
