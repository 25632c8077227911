import { and, asc, eq, gt, inArray, isNull, lt, or, sql } from "drizzle-orm";
import { env } from "@/env";
import type { Database } from "@/server/db/client";
import { batches } from "@/server/db/schema";
import { log } from "@/server/observability/log";
import type { BatchRow } from "./batch-view";

/** Until when a claim made now holds without a heartbeat (database time). */
export const leaseExpiry = () => sql`now() + make_interval(secs => ${env().HELMDECK_BATCH_LEASE_SECONDS})`;

/**
 * Claims one runnable batch (QUEUED or RUNNING, or CANCELLED with an item its dead runner
 * left RUNNING; unowned or whose runner stopped heartbeating) for this runner. SKIP LOCKED lets instances claim side by side without
 * waiting on each other, and the conditional UPDATE means two never hold one batch.
 */
export async function claimBatch(db: Database, runnerId: string, only?: { batchId: string }): Promise<BatchRow | undefined> {
  const candidate = db
    .select({ id: batches.id })
    .from(batches)
    .where(
      and(
        or(
          inArray(batches.status, ["QUEUED", "RUNNING"]),
          // Cancelled while an item was in flight: the pending count holds only RUNNING items then.
          and(eq(batches.status, "CANCELLED"), gt(batches.itemsPending, 0)),
        ),
        or(isNull(batches.runnerId), lt(batches.runnerLeaseExpiresAt, sql`now()`)),
        only ? eq(batches.id, only.batchId) : undefined,
      ),
    )
    .orderBy(asc(batches.createdAt))
    .limit(1)
    .for("update", { skipLocked: true });
  const [claimed] = await db.update(batches).set({ runnerId, runnerLeaseExpiresAt: leaseExpiry() }).where(inArray(batches.id, candidate)).returning();
  return claimed;
}

/** Extends this runner's claim; false when it was lost (expired and taken by another runner). */
export async function renewBatchLease(db: Database, batchId: string, runnerId: string): Promise<boolean> {
  const renewed = await db
    .update(batches)
    .set({ runnerLeaseExpiresAt: leaseExpiry() })
    .where(and(eq(batches.id, batchId), eq(batches.runnerId, runnerId)))
    .returning({ id: batches.id });
  return renewed.length > 0;
}

/** Gives a batch back, so that a paused-then-resumed or interrupted batch is claimable at once. */
export async function releaseBatchLease(db: Database, batchId: string, runnerId: string): Promise<void> {
  await db
    .update(batches)
    .set({ runnerId: null, runnerLeaseExpiresAt: null })
    .where(and(eq(batches.id, batchId), eq(batches.runnerId, runnerId)));
}

/** Renews the lease at a third of its length until stopped; reports a loss once. */
export function keepBatchLease(db: Database, batchId: string, runnerId: string, onLost: () => void): () => void {
  const every = (env().HELMDECK_BATCH_LEASE_SECONDS * 1000) / 3;
  const timer = setInterval(() => {
    renewBatchLease(db, batchId, runnerId).then(
      (held) => {
        if (!held) onLost();
      },
      (err) => log.error({ err, batchId }, "could not renew a batch lease"),
    );
  }, every);
  timer.unref();
  return () => clearInterval(timer);
}
