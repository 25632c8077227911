import { and, count, eq, gt, lt, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
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

export async function recordSignInAttempt(db: DbOrTx, email: string, succeeded: boolean): Promise<void> {
  await db.insert(loginAttempts).values({ email, succeeded: succeeded ? "yes" : "no" });
  await db.delete(loginAttempts).where(and(eq(loginAttempts.email, email), lt(loginAttempts.createdAt, RETENTION)));
}
