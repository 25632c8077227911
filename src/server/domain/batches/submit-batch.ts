import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { and, asc, eq, gt } from "drizzle-orm";
import type { BatchUpgradeInput } from "@/contracts/batches";
import type { ReleaseView } from "@/contracts/releases";
import type { Database } from "@/server/db/client";
import { batchItems, batches, releases, tenants } from "@/server/db/schema";
import { releaseColumns, toReleaseView } from "../releases/views";
import type { DomainContext } from "../context";
import { isFinished, type BatchRow } from "./batch-view";
import { rollbackBatch } from "./rollback-batch";
import { runBatch } from "./run-batch";
import { startBatchUpgrade } from "./start-batch-upgrade";

export type BatchRequest = { kind: "upgrade"; input: BatchUpgradeInput } | { kind: "rollback"; batchId: string };

/**
 * queued: answered at once (async); settled: ended, or paused after its canary;
 * interrupted: the wait ended first (clean stop, client gone) and the batch goes on elsewhere.
 */
export type Submitted = { batch: BatchRow; outcome: "queued" | "settled" | "interrupted" };

const settled = (b: BatchRow) => isFinished(b.status) || b.status === "PAUSED";

/**
 * The one way a batch is submitted, from REST and tRPC alike: record it, then either wake
 * the runner and answer (async), or run it here until it ends or pauses. A synchronous
 * batch is recorded already claimed by this request, so no other runner takes it up first;
 * when `signal` aborts, the items in flight finish and the batch is handed back (its claim
 * released, the runner woken) for the background runner or another instance to finish.
 */
export async function submitBatch({
  ctx,
  request,
  async,
  signal,
  wake,
}: {
  ctx: DomainContext;
  request: BatchRequest;
  async: boolean;
  signal?: AbortSignal;
  wake?: () => void;
}): Promise<Submitted> {
  const runnerId = async ? undefined : `inline:${randomUUID()}`;
  const batch = request.kind === "upgrade" ? await startBatchUpgrade({ ctx, input: request.input, claimFor: runnerId }) : await rollbackBatch({ ctx, batchId: request.batchId, claimFor: runnerId });
  if (!runnerId) {
    wake?.();
    return { batch, outcome: "queued" };
  }
  await runBatch({ db: ctx.db, batchId: batch.id, runnerId, driver: ctx.driver, signal });
  const current = await followBatch(ctx.db, batch.id, signal);
  if (!settled(current)) wake?.();
  return { batch: current, outcome: settled(current) ? "settled" : "interrupted" };
}

/**
 * Waits until a batch ends or pauses, for the rare case where its run here stopped early
 * (its claim lapsed and another runner holds it now). Backs off to 2 s between looks.
 */
async function followBatch(db: Database, batchId: string, signal?: AbortSignal): Promise<BatchRow> {
  for (let wait = 100; ; wait = Math.min(wait * 2, 2_000)) {
    const [batch] = await db.select().from(batches).where(eq(batches.id, batchId));
    if (!batch || settled(batch) || signal?.aborted) return batch!;
    await sleep(wait, undefined, { signal }).catch(() => undefined);
  }
}

/** The releases a batch upgraded (or rolled back), as they are now, in processing order, a page at a time. */
export async function* releasesUpgradedBy(db: Database, batchId: string, pageSize = 500): AsyncGenerator<ReleaseView[]> {
  for (let after = -1; ; ) {
    const rows = await db
      .select({ ...releaseColumns, position: batchItems.position })
      .from(batchItems)
      .innerJoin(releases, eq(releases.id, batchItems.releaseId))
      .innerJoin(tenants, eq(tenants.id, releases.tenantId))
      .where(and(eq(batchItems.batchId, batchId), eq(batchItems.status, "UPGRADED"), gt(batchItems.position, after)))
      .orderBy(asc(batchItems.position))
      .limit(pageSize);
    if (rows.length > 0) yield rows.map(toReleaseView);
    if (rows.length < pageSize) return;
    after = rows.at(-1)!.position;
  }
}
