import { eq } from "drizzle-orm";
import { emailSchema } from "@/contracts/users";
import type { Database } from "@/server/db/client";
import { users } from "@/server/db/schema";
import { recordAuditEvent } from "@/server/domain/audit/record-audit-event";
import type { UserRow } from "@/server/domain/users/user-view";
import { signInLockout, recordSignInAttempt } from "./login-throttle";
import { verifyPassword } from "./password";

export type CredentialsOutcome =
  | { kind: "ok"; user: UserRow }
  /** Wrong e-mail, wrong password, disabled or SSO-only account: one answer, so none can be told apart. */
  | { kind: "invalid" }
  | { kind: "throttled"; retryAfterSeconds: number };

/** How a tried address is kept: normalised when it is one, else cut short (it is attacker input). */
const attemptedEmail = (raw: string) => emailSchema.safeParse(raw).data ?? raw.trim().toLowerCase().slice(0, 254);

/**
 * The password sign-in: lockout first (without checking the password, so a locked account
 * cannot be probed), then the password, then one transaction with the attempt and its
 * audit event.
 */
export async function checkCredentials(db: Database, args: { email: string; password: string; requestId?: string }): Promise<CredentialsOutcome> {
  const email = attemptedEmail(args.email);
  const audit = (user: UserRow | undefined, action: string, summary: Record<string, unknown>) => ({
    ctx: { actor: { name: email, role: user?.role ?? "anonymous" }, requestId: args.requestId },
    entry: { action, targetType: "user", targetId: user?.id ?? null, tenantId: user?.tenantId ?? null, summary: { email, provider: "credentials", ...summary } },
  });

  const lockout = await signInLockout(db, email);
  if (lockout.locked) {
    const { ctx, entry } = audit(undefined, "auth.sign-in.failure", { reason: "too-many-failures" });
    await recordAuditEvent(db, ctx, entry);
    return { kind: "throttled", retryAfterSeconds: lockout.retryAfterSeconds };
  }

  const [user] = await db.select().from(users).where(eq(users.email, email));
  const passwordOk = await verifyPassword(args.password.slice(0, 1024), user?.passwordHash);
  const ok = passwordOk && user !== undefined && user.disabledAt === null;
  const reason = !user ? "unknown-user" : !user.passwordHash ? "no-password" : !passwordOk ? "wrong-password" : "disabled";
  await db.transaction(async (tx) => {
    await recordSignInAttempt(tx, email, ok);
    const { ctx, entry } = audit(user, ok ? "auth.sign-in.success" : "auth.sign-in.failure", ok ? {} : { reason });
    await recordAuditEvent(tx, ctx, entry);
  });
  return ok ? { kind: "ok", user: user! } : { kind: "invalid" };
}
