import { and, asc, count, eq, gt, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import {
  BATCH_FIRST_PAGE,
  batchItemsPath,
  FINISHED_BATCH_STATUSES,
  type BatchCounts,
  type BatchItemStatus,
  type BatchItemView,
  type BatchItemsQuery,
  type BatchStatus,
  type BatchView,
} from "@/contracts/batches";
import type { Page } from "@/contracts/common";
import type { Actor } from "@/server/auth/actor";
import type { DbOrTx } from "@/server/db/client";
import { batchItems, batches } from "@/server/db/schema";
import { notFound } from "../errors";
import { cursorParts, decodeCursor, encodeCursor } from "../pagination";

export type BatchRow = typeof batches.$inferSelect;
export type BatchItemRow = typeof batchItems.$inferSelect;

export const isFinished = (status: BatchStatus) => (FINISHED_BATCH_STATUSES as readonly BatchStatus[]).includes(status);

/** The count bucket of an item status: RUNNING is still pending, CANCELLED is skipped. */
export function bucketOf(status: BatchItemStatus): Exclude<keyof BatchCounts, "total"> {
  if (status === "PENDING" || status === "RUNNING") return "pending";
  if (status === "UPGRADED") return "upgraded";
  if (status === "FAILED") return "failed";
  return "skipped";
}

export function countItems(tallies: Array<{ status: BatchItemStatus; n?: number }>): BatchCounts {
  const counts = { total: 0, pending: 0, upgraded: 0, failed: 0, skipped: 0, cancelled: 0 };
  for (const { status, n = 1 } of tallies) {
    counts.total += n;
    counts[bucketOf(status)] += n;
    if (status === "CANCELLED") counts.cancelled += n;
  }
  return counts;
}

export const countsOf = (b: BatchRow): BatchCounts => ({
  total: b.itemsTotal,
  pending: b.itemsPending,
  upgraded: b.itemsUpgraded,
  failed: b.itemsFailed,
  skipped: b.itemsSkipped,
  cancelled: b.itemsCancelled,
});

/**
 * The final status as a view with these counts reads it, by the rule that ends a batch
 * (run-batch.ts). A tenant's view of a shared batch that failed elsewhere is SUCCEEDED for
 * it, never PARTIALLY_FAILED next to "0 failed". A cancelled or unfinished batch keeps its status.
 */
export function statusInView(status: BatchStatus, counts: BatchCounts): BatchStatus {
  if (status !== "SUCCEEDED" && status !== "PARTIALLY_FAILED" && status !== "FAILED") return status;
  if (counts.failed === 0) return "SUCCEEDED";
  return counts.upgraded > 0 ? "PARTIALLY_FAILED" : "FAILED";
}

/** The rule that ends a batch, in SQL over its failed and upgraded counts (the batch row's, or one tenant's). */
export const endStatusSql = (failed: SQL, upgraded: SQL) => sql`case when ${failed} = 0 then 'SUCCEEDED' when ${upgraded} > 0 then 'PARTIALLY_FAILED' else 'FAILED' end`;

/**
 * Whose view of a batch a reader has: everything, or one tenant's items only. A tenant's
 * view numbers its items 1…n and counts only them, so a shared batch tells it nothing
 * about the other tenants in it.
 */
export type BatchScope = { tenantId: string | null };
export const scopeOf = (actor: Actor): BatchScope => ({ tenantId: actor.tenantId });

export function toItemView(row: Pick<BatchItemRow, "position" | "tenantPosition" | "releaseId" | "tenantSlug" | "releaseName" | "namespace" | "fromVersion" | "status" | "revision" | "error" | "reasonCode">, scope: BatchScope): BatchItemView {
  return {
    position: scope.tenantId ? row.tenantPosition : row.position + 1,
    releaseId: row.releaseId,
    tenantSlug: row.tenantSlug,
    releaseName: row.releaseName,
    namespace: row.namespace,
    fromVersion: row.fromVersion,
    status: row.status,
    revision: row.revision,
    error: row.error,
    reasonCode: row.reasonCode,
  };
}

export const batchState = (b: Pick<BatchRow, "id" | "status" | "startedAt" | "finishedAt">) => ({
  id: b.id,
  status: b.status,
  startedAt: b.startedAt?.toISOString() ?? null,
  finishedAt: b.finishedAt?.toISOString() ?? null,
});

/** A tenant's counts come with the status they imply (statusInView); the batch's own keep the batch's. */
export function toBatchSummary(b: BatchRow, counts: BatchCounts, scope: BatchScope = { tenantId: null }): Omit<BatchView, "items" | "itemsNext"> {
  const state = batchState(b);
  return {
    ...state,
    status: scope.tenantId ? statusInView(state.status, counts) : state.status,
    kind: b.kind,
    chartName: b.chartName,
    targetVersion: b.targetVersion,
    counts,
    options: b.options,
    rollbackOf: b.rollbackOf,
    policyId: b.policyId,
    createdBy: b.createdBy,
    createdAt: b.createdAt.toISOString(),
  };
}

/** A tenant's items of one batch by status: an index range of its own items, never the whole batch. */
export async function tenantCounts(db: DbOrTx, batchId: string, tenantId: string): Promise<BatchCounts> {
  const rows = await db
    .select({ status: batchItems.status, n: count() })
    .from(batchItems)
    .where(and(eq(batchItems.batchId, batchId), eq(batchItems.tenantId, tenantId)))
    .groupBy(batchItems.status);
  return countItems(rows.map((r) => ({ status: r.status, n: Number(r.n) })));
}

/** A batch and its counts as the scope sees them; a tenant with none of its releases in it gets 404. */
export async function loadVisibleBatch(db: DbOrTx, scope: BatchScope, batchId: string): Promise<{ batch: BatchRow; counts: BatchCounts }> {
  const [batch] = await db.select().from(batches).where(eq(batches.id, batchId));
  if (!batch) throw notFound(`batch ${batchId}`);
  if (!scope.tenantId) return { batch, counts: countsOf(batch) };
  const counts = await tenantCounts(db, batchId, scope.tenantId);
  if (counts.total === 0) throw notFound(`batch ${batchId}`);
  return { batch, counts };
}

const itemsCursor = z.tuple([cursorParts.sequence]);

/**
 * One page of a batch's items in processing order. The cursor is the caller's own 1-based
 * position of the last item, so a tenant never sees another numbering than its own.
 */
export async function pageBatchItems(db: DbOrTx, scope: BatchScope, batchId: string, query: Pick<BatchItemsQuery, "status" | "limit" | "cursor"> & { tenantId?: string }): Promise<Page<BatchItemView>> {
  const after = query.cursor ? decodeCursor(query.cursor, itemsCursor)[0] : 0;
  const tenantId = scope.tenantId ?? query.tenantId;
  const rows = await db
    .select()
    .from(batchItems)
    .where(
      and(
        eq(batchItems.batchId, batchId),
        tenantId ? eq(batchItems.tenantId, tenantId) : undefined,
        query.status ? eq(batchItems.status, query.status) : undefined,
        scope.tenantId ? gt(batchItems.tenantPosition, after) : gt(batchItems.position, after - 1),
      ),
    )
    .orderBy(scope.tenantId ? asc(batchItems.tenantPosition) : asc(batchItems.position))
    .limit(query.limit + 1);
  const items = rows.slice(0, query.limit).map((r) => toItemView(r, scope));
  const last = items.at(-1);
  return { items, nextCursor: rows.length > query.limit && last ? encodeCursor([last.position]) : null };
}

/** The batch object: counts, the first page of items and where the next one is. */
export async function loadBatchView(db: DbOrTx, scope: BatchScope, batchId: string, loaded?: { batch: BatchRow; counts: BatchCounts }): Promise<BatchView> {
  const { batch, counts } = loaded ?? (await loadVisibleBatch(db, scope, batchId));
  const page = await pageBatchItems(db, scope, batchId, { limit: BATCH_FIRST_PAGE });
  return { ...toBatchSummary(batch, counts, scope), items: page.items, itemsNext: page.nextCursor ? batchItemsPath(batchId, page.nextCursor) : null };
}
