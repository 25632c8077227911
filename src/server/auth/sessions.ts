import { and, eq, gt, isNull, lt, sql } from "drizzle-orm";
import type { Database } from "@/server/db/client";
import { sessions, users } from "@/server/db/schema";
import { recordAuditEvent } from "@/server/domain/audit/record-audit-event";
import type { UserRow } from "@/server/domain/users/user-view";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A session row for a user who just signed in; its id goes into the session cookie. */
export async function startSession(db: Database, userId: string, maxAgeSeconds: number): Promise<string> {
  return db.transaction(async (tx) => {
    // Sessions that ended a day ago or more are no use to anyone: keep the table small.
    await tx.delete(sessions).where(lt(sessions.expiresAt, sql`now() - interval '1 day'`));
    const [row] = await tx
      .insert(sessions)
      .values({ userId, expiresAt: sql`now() + make_interval(secs => ${maxAgeSeconds})` })
      .returning({ id: sessions.id });
    return row!.id;
  });
}

/** The active user behind a session: the session neither revoked nor expired, the user not disabled. */
export async function sessionUser(db: Database, sessionId: unknown, userId: unknown): Promise<UserRow | undefined> {
  if (typeof sessionId !== "string" || typeof userId !== "string" || !UUID.test(sessionId) || !UUID.test(userId)) return undefined;
  const [row] = await db
    .select({ user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`), isNull(users.disabledAt)));
  return row?.user;
}

/** Sign-out: this session ends on the server too, so a copied cookie is worth nothing afterwards. */
export async function revokeSession(db: Database, sessionId: unknown, requestId?: string): Promise<void> {
  if (typeof sessionId !== "string" || !UUID.test(sessionId)) return;
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(sessions)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)))
      .returning({ userId: sessions.userId });
    if (!row) return;
    const [user] = await tx.select().from(users).where(eq(users.id, row.userId));
    await recordAuditEvent(tx, { actor: { name: user?.email ?? row.userId, role: user?.role ?? "anonymous" }, requestId }, {
      action: "auth.sign-out",
      targetType: "user",
      targetId: row.userId,
      tenantId: user?.tenantId ?? null,
      summary: { session: sessionId },
    });
  });
}
