import { and, count, desc, eq, exists, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { BatchSummary, BatchView, ListBatchesQuery } from "@/contracts/batches";
import type { Page } from "@/contracts/common";
import { batchItems, batches } from "@/server/db/schema";
import type { DomainContext } from "../context";
import { cursorParts, decodeCursor, pageOf } from "../pagination";
import { countItems, loadVisibleBatch, toBatchView, visibleItemsCondition } from "./batch-view";

/** Batches, newest first; a tenant-scoped actor sees those that touched its tenant, counted over its releases only. */
export async function listBatches({ ctx, query }: { ctx: DomainContext; query: ListBatchesQuery }): Promise<Page<BatchSummary>> {
  const visible = visibleItemsCondition(ctx.actor);
  const conditions = [
    visible ? exists(ctx.db.select({ one: sql`1` }).from(batchItems).where(and(eq(batchItems.batchId, batches.id), visible))) : undefined,
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
  const page = { items: keyed.items.map((r) => r.batch), nextCursor: keyed.nextCursor };
  const ids = page.items.map((b) => b.id);
  const tallies = ids.length
    ? await ctx.db
        .select({ batchId: batchItems.batchId, status: batchItems.status, n: count() })
        .from(batchItems)
        .where(and(inArray(batchItems.batchId, ids), visible))
        .groupBy(batchItems.batchId, batchItems.status)
    : [];
  return {
    items: page.items.map((b) => {
      const statuses = tallies.filter((t) => t.batchId === b.id).map((t) => ({ status: t.status, n: Number(t.n) }));
      const { items: _items, ...summary } = toBatchView(b, []);
      return { ...summary, counts: countItems(statuses) };
    }),
    nextCursor: page.nextCursor,
  };
}

export async function getBatch({ ctx, batchId }: { ctx: DomainContext; batchId: string }): Promise<BatchView> {
  const { batch, items } = await loadVisibleBatch(ctx.db, ctx.actor, batchId);
  return toBatchView(batch, items);
}
