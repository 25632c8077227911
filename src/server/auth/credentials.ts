import { eq } from "drizzle-orm";
import { emailSchema } from "@/contracts/users";
import { storableText } from "@/server/boundary/find-unsafe-input";
import type { Database } from "@/server/db/client";
import { users } from "@/server/db/schema";
import { recordAuditEvent } from "@/server/domain/audit/record-audit-event";
import type { UserRow } from "@/server/domain/users/user-view";
import { reserveSignInAttempt, settleSignInAttempt } from "./login-throttle";
import { verifyPassword } from "./password";

export type CredentialsOutcome =
  | { kind: "ok"; user: UserRow }
  /** Wrong e-mail, wrong password, disabled or SSO-only account: one answer, so none can be told apart. */
  | { kind: "invalid" }
  | { kind: "throttled"; retryAfterSeconds: number };

/**
 * How a tried address is kept: normalised when it is one, else cut short and made storable
 * (it is attacker input: a NUL in it is a failed sign-in, not a database error).
 */
const attemptedEmail = (raw: string) => emailSchema.safeParse(raw).data ?? storableText(raw.trim().toLowerCase().slice(0, 254));

/**
 * The password sign-in: the attempt is reserved first (refused without checking the password
 * when the address is locked out, so a locked account cannot be probed), then the password,
 * then one transaction with the outcome and its audit event.
 */
export async function checkCredentials(db: Database, args: { email: string; password: string; requestId?: string }): Promise<CredentialsOutcome> {
  const email = attemptedEmail(args.email);
  const audit = (user: UserRow | undefined, action: string, summary: Record<string, unknown>) => ({
    ctx: { actor: { name: email, role: user?.role ?? "anonymous" }, requestId: args.requestId },
    entry: { action, targetType: "user", targetId: user?.id ?? null, tenantId: user?.tenantId ?? null, summary: { email, provider: "credentials", ...summary } },
  });

  const reservation = await reserveSignInAttempt(db, email, async (tx) => {
    const { ctx, entry } = audit(undefined, "auth.sign-in.failure", { reason: "too-many-failures" });
    await recordAuditEvent(tx, ctx, entry);
  });
  if (reservation.locked) return { kind: "throttled", retryAfterSeconds: reservation.retryAfterSeconds };

  const [user] = await db.select().from(users).where(eq(users.email, email));
  const passwordOk = await verifyPassword(args.password.slice(0, 1024), user?.passwordHash);
  const ok = passwordOk && user !== undefined && user.disabledAt === null;
  const reason = !user ? "unknown-user" : !user.passwordHash ? "no-password" : !passwordOk ? "wrong-password" : "disabled";
  await db.transaction(async (tx) => {
    await settleSignInAttempt(tx, email, reservation.attemptId, ok);
    const { ctx, entry } = audit(user, ok ? "auth.sign-in.success" : "auth.sign-in.failure", ok ? {} : { reason });
    await recordAuditEvent(tx, ctx, entry);
  });
  return ok ? { kind: "ok", user: user! } : { kind: "invalid" };
}
