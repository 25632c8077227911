import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { FINISHED_BATCH_STATUSES, type BatchItemView, type BatchStatus, type BatchView } from "@/contracts/batches";
import type { Actor } from "@/server/auth/actor";
import type { DbOrTx } from "@/server/db/client";
import { batchItems, batches, releases } from "@/server/db/schema";
import { notFound } from "../errors";

export type BatchRow = typeof batches.$inferSelect;
export type BatchItemRow = typeof batchItems.$inferSelect;

export const isFinished = (status: BatchStatus) => (FINISHED_BATCH_STATUSES as readonly BatchStatus[]).includes(status);

export function toItemView(row: BatchItemRow): BatchItemView {
  return {
    releaseId: row.releaseId,
    tenantSlug: row.tenantSlug,
    releaseName: row.releaseName,
    fromVersion: row.fromVersion,
    status: row.status,
    revision: row.revision,
    error: row.error,
  };
}

/** RUNNING counts as pending and CANCELLED as skipped, so that the five counts always add up. */
export function countItems(tallies: Array<{ status: BatchItemRow["status"]; n?: number }>): BatchView["counts"] {
  const counts = { total: 0, pending: 0, upgraded: 0, failed: 0, skipped: 0 };
  for (const { status, n = 1 } of tallies) {
    counts.total += n;
    if (status === "PENDING" || status === "RUNNING") counts.pending += n;
    else if (status === "UPGRADED") counts.upgraded += n;
    else if (status === "FAILED") counts.failed += n;
    else counts.skipped += n;
  }
  return counts;
}

export const batchState = (b: BatchRow) => ({
  id: b.id,
  status: b.status,
  startedAt: b.startedAt?.toISOString() ?? null,
  finishedAt: b.finishedAt?.toISOString() ?? null,
});

export function toBatchView(b: BatchRow, items: BatchItemRow[]): BatchView {
  return {
    ...batchState(b),
    kind: b.kind,
    chartName: b.chartName,
    targetVersion: b.targetVersion,
    counts: countItems(items),
    items: items.map(toItemView),
    options: b.options,
    rollbackOf: b.rollbackOf,
    createdBy: b.createdBy,
    createdAt: b.createdAt.toISOString(),
  };
}

/**
 * The items an actor may see: every item for actors over all tenants, else only those whose
 * release belongs to the actor's tenant. Counts are then of those items only, so a batch
 * never tells a tenant how many other tenants it touched.
 */
export function visibleItemsCondition(actor: Actor) {
  return actor.tenantId
    ? inArray(batchItems.releaseId, sql`(select ${releases.id} from ${releases} where ${releases.tenantId} = ${actor.tenantId})`)
    : undefined;
}

export async function loadBatchItems(db: DbOrTx, actor: Actor, batchId: string): Promise<BatchItemRow[]> {
  return db
    .select()
    .from(batchItems)
    .where(and(eq(batchItems.batchId, batchId), visibleItemsCondition(actor)))
    .orderBy(asc(batchItems.position));
}

/** A batch as the actor may see it; a tenant with none of its releases in the batch gets 404. */
export async function loadVisibleBatch(db: DbOrTx, actor: Actor, batchId: string): Promise<{ batch: BatchRow; items: BatchItemRow[] }> {
  const [batch] = await db.select().from(batches).where(eq(batches.id, batchId));
  if (!batch) throw notFound(`batch ${batchId}`);
  const items = await loadBatchItems(db, actor, batchId);
  if (actor.tenantId && items.length === 0) throw notFound(`batch ${batchId}`);
  return { batch, items };
}
