import { and, asc, eq, isNull, lte, lt, or, sql } from "drizzle-orm";
import type { Database } from "@/server/db/client";
import { upgradePolicies } from "@/server/db/schema";
import { log } from "@/server/observability/log";
import { evaluatePolicy, type PolicyOutcome } from "./evaluate-policy";

export const EVALUATION_INTERVAL_MS = 60_000;

/** Every enabled policy of a chart, right after one of its versions was published (and committed). */
export async function evaluatePoliciesOfChart({ db, chartName, now, requestId }: { db: Database; chartName: string; now: Date; requestId?: string }): Promise<PolicyOutcome[]> {
  const policies = await db
    .select()
    .from(upgradePolicies)
    .where(and(eq(upgradePolicies.chartName, chartName), eq(upgradePolicies.enabled, true)));
  const outcomes: PolicyOutcome[] = [];
  for (const policy of policies) outcomes.push(await evaluatePolicy({ db, policy, now, requestId }));
  return outcomes;
}

/**
 * A publish has committed whatever happens here: a failing evaluation is logged, never
 * turned into a failed publish; the periodic evaluation retries within a minute.
 */
export async function evaluateAfterPublish(db: Database, chartName: string, requestId?: string): Promise<void> {
  try {
    await evaluatePoliciesOfChart({ db, chartName, now: new Date(), requestId });
  } catch (err) {
    log.error({ err, chartName }, "evaluating upgrade policies after a publish failed; the periodic evaluation retries");
  }
}

/**
 * The periodic evaluation of one instance: each enabled policy not evaluated within the
 * last minute (by `now`) is claimed through a conditional UPDATE with SKIP LOCKED and
 * evaluated, so that instances sharing a database never evaluate one policy at once.
 */
export async function evaluateDuePolicies({ db, owner, now, max = 1000 }: { db: Database; owner: string; now: Date; max?: number }): Promise<PolicyOutcome[]> {
  const outcomes: PolicyOutcome[] = [];
  const dueBefore = new Date(now.getTime() - EVALUATION_INTERVAL_MS);
  while (outcomes.length < max) {
    const due = db
      .select({ id: upgradePolicies.id })
      .from(upgradePolicies)
      .where(
        and(
          eq(upgradePolicies.enabled, true),
          or(isNull(upgradePolicies.leaseUntil), lt(upgradePolicies.leaseUntil, sql`now()`)),
          or(isNull(upgradePolicies.lastEvaluatedAt), lte(upgradePolicies.lastEvaluatedAt, dueBefore)),
        ),
      )
      .orderBy(sql`${upgradePolicies.lastEvaluatedAt} asc nulls first`, asc(upgradePolicies.id))
      .limit(1)
      .for("update", { skipLocked: true });
    const [policy] = await db
      .update(upgradePolicies)
      .set({ leaseOwner: owner, leaseUntil: sql`now() + interval '2 minutes'` })
      .where(sql`${upgradePolicies.id} in (${due})`)
      .returning();
    if (!policy) break;
    try {
      outcomes.push(await evaluatePolicy({ db, policy, now }));
    } finally {
      // Evaluated (or failed) at `now` either way: a failing policy is retried next minute, not in a loop.
      await db.update(upgradePolicies).set({ leaseOwner: null, leaseUntil: null, lastEvaluatedAt: now }).where(and(eq(upgradePolicies.id, policy.id), eq(upgradePolicies.leaseOwner, owner)));
    }
  }
  return outcomes;
}
