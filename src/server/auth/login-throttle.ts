import { and, count, eq, gt, lt, sql } from "drizzle-orm";
import type { Database, DbOrTx, Transaction } from "@/server/db/client";
import { loginAttempts } from "@/server/db/schema";

export const MAX_FAILED_SIGN_INS = 5;
export const FAILED_SIGN_IN_WINDOW_MINUTES = 15;

/** Attempts are kept a day: long enough to investigate, short enough not to grow forever. */
const RETENTION = sql`now() - interval '1 day'`;

/**
 * Whether an e-mail address is locked out: MAX_FAILED_SIGN_INS failures within the window
 * and since its last success. Counted per address (not per client address), so a password
 * guesser spread over many machines is stopped too; the price is that someone can lock an
 * account out for a quarter of an hour, which a sign-in form accepts.
 */
export async function signInLockout(db: DbOrTx, email: string): Promise<{ locked: false } | { locked: true; retryAfterSeconds: number }> {
  const lastSuccess = db
    .select({ at: sql`max(${loginAttempts.createdAt})` })
    .from(loginAttempts)
    .where(and(eq(loginAttempts.email, email), eq(loginAttempts.succeeded, "yes")));
  const [row] = await db
    .select({
      failures: count(),
      // When the oldest counted failure leaves the window: the earliest the lock can lift.
      retryAfterSeconds: sql<number>`ceil(extract(epoch from (min(${loginAttempts.createdAt}) + make_interval(mins => ${FAILED_SIGN_IN_WINDOW_MINUTES}) - now())))::int`,
    })
    .from(loginAttempts)
    .where(
      and(
        eq(loginAttempts.email, email),
        eq(loginAttempts.succeeded, "no"),
        gt(loginAttempts.createdAt, sql`now() - make_interval(mins => ${FAILED_SIGN_IN_WINDOW_MINUTES})`),
        gt(loginAttempts.createdAt, sql`coalesce((${lastSuccess}), '-infinity'::timestamptz)`),
      ),
    );
  if (!row || Number(row.failures) < MAX_FAILED_SIGN_INS) return { locked: false };
  return { locked: true, retryAfterSeconds: Math.max(1, Number(row.retryAfterSeconds)) };
}

/**
 * Takes one attempt for an address, atomically: under a transaction-scoped lock on the
 * address, the lockout is decided and the attempt recorded (as a failure until the password
 * proves otherwise), so parallel attempts queue on the lock and at most MAX_FAILED_SIGN_INS
 * passwords are ever checked in a window, on one instance or many.
 */
export async function reserveSignInAttempt(
  db: Database,
  email: string,
  onLocked: (tx: Transaction) => Promise<void>,
): Promise<{ locked: false; attemptId: string } | { locked: true; retryAfterSeconds: number }> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`sign-in:${email}`}, 0))`);
    const lockout = await signInLockout(tx, email);
    if (lockout.locked) {
      await onLocked(tx);
      return lockout;
    }
    const [attempt] = await tx.insert(loginAttempts).values({ email, succeeded: "no" }).returning({ id: loginAttempts.id });
    return { locked: false as const, attemptId: attempt!.id };
  });
}

/** The outcome of a reserved attempt; old attempts of the address are dropped on the way. */
export async function settleSignInAttempt(tx: DbOrTx, email: string, attemptId: string, succeeded: boolean): Promise<void> {
  if (succeeded) await tx.update(loginAttempts).set({ succeeded: "yes" }).where(eq(loginAttempts.id, attemptId));
  await tx.delete(loginAttempts).where(and(eq(loginAttempts.email, email), lt(loginAttempts.createdAt, RETENTION)));
}
