import { and, count, desc, eq, exists, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { BatchItemView, BatchItemsQuery, BatchSummary, BatchView, ListBatchesQuery } from "@/contracts/batches";
import type { Page } from "@/contracts/common";
import { batchItems, batches } from "@/server/db/schema";
import type { DomainContext } from "../context";
import { cursorParts, decodeCursor, pageOf } from "../pagination";
import { findVisibleTenant } from "../tenants/list-tenants";
import { countItems, countsOf, loadBatchView, loadVisibleBatch, pageBatchItems, scopeOf, toBatchSummary } from "./batch-view";

/** Batches, newest first; a tenant-scoped actor sees those that touched its tenant, counted over its releases only. */
export async function listBatches({ ctx, query }: { ctx: DomainContext; query: ListBatchesQuery }): Promise<Page<BatchSummary>> {
  const { tenantId } = scopeOf(ctx.actor);
  const conditions = [
    tenantId ? exists(ctx.db.select({ one: sql`1` }).from(batchItems).where(and(eq(batchItems.batchId, batches.id), eq(batchItems.tenantId, tenantId)))) : undefined,
  ];
  if (query.cursor) {
    const [createdAt, id] = decodeCursor(query.cursor, z.tuple([cursorParts.timestamp, cursorParts.id]));
    conditions.push(sql`(${batches.createdAt}, ${batches.id}) < (${createdAt}::timestamptz, ${id}::uuid)`);
  }
  const q = ctx.db
    .select({ batch: batches, createdAtKey: sql<string>`${batches.createdAt}::text` })
    .from(batches)
    .where(and(...conditions))
    .orderBy(desc(batches.createdAt), desc(batches.id));
  const rows = query.limit === undefined ? await q : await q.limit(query.limit + 1);
  // The key is the database's own text of the timestamp: a JS Date would drop the microseconds.
  const keyed = query.limit === undefined ? { items: rows, nextCursor: null } : pageOf(rows, query.limit, (r) => [r.createdAtKey, r.batch.id]);
  const page = keyed.items.map((r) => r.batch);
  if (!tenantId) return { items: page.map((b) => toBatchSummary(b, countsOf(b))), nextCursor: keyed.nextCursor };
  const ids = page.map((b) => b.id);
  const tallies = ids.length
    ? await ctx.db
        .select({ batchId: batchItems.batchId, status: batchItems.status, n: count() })
        .from(batchItems)
        .where(and(inArray(batchItems.batchId, ids), eq(batchItems.tenantId, tenantId)))
        .groupBy(batchItems.batchId, batchItems.status)
    : [];
  return {
    items: page.map((b) => toBatchSummary(b, countItems(tallies.filter((t) => t.batchId === b.id).map((t) => ({ status: t.status, n: Number(t.n) }))), { tenantId })),
    nextCursor: keyed.nextCursor,
  };
}

/** The batch with its counts and first page of items, as the actor may see it. */
export async function getBatch({ ctx, batchId }: { ctx: DomainContext; batchId: string }): Promise<BatchView> {
  return loadBatchView(ctx.db, scopeOf(ctx.actor), batchId);
}

/** A page of a batch's items, filtered by status and tenant slug; a slug outside the caller's view matches nothing. */
export async function listBatchItems({ ctx, batchId, query }: { ctx: DomainContext; batchId: string; query: BatchItemsQuery }): Promise<Page<BatchItemView>> {
  const scope = scopeOf(ctx.actor);
  await loadVisibleBatch(ctx.db, scope, batchId);
  let tenantId: string | undefined;
  if (query.tenant) {
    const tenant = await findVisibleTenant(ctx.db, ctx.actor, query.tenant);
    if (!tenant) return { items: [], nextCursor: null };
    tenantId = tenant.id;
  }
  return pageBatchItems(ctx.db, scope, batchId, { ...query, tenantId });
}
