import { setTimeout as sleep } from "node:timers/promises";
import { and, asc, eq, gt, lte, max, sql } from "drizzle-orm";
import type { BatchEvent, BatchEventEnvelope } from "@/contracts/batches";
import { batchEvents, batches, batchItems } from "@/server/db/schema";
import type { DomainContext } from "../context";
import { isFinished, loadVisibleBatch, toBatchView, visibleItemsCondition } from "./batch-view";

export const POLL_INTERVAL_MS = 250;

async function hasItemInFlight(ctx: DomainContext, batchId: string): Promise<boolean> {
  const [row] = await ctx.db
    .select({ position: batchItems.position })
    .from(batchItems)
    .where(and(eq(batchItems.batchId, batchId), eq(batchItems.status, "RUNNING")))
    .limit(1);
  return row !== undefined;
}
const PAGE = 500;

/**
 * Event ids are handed out when a transaction inserts, not when it commits, so an event can
 * become visible after one with a higher id was already streamed. Each poll therefore also
 * re-reads the last few seconds of the log and skips what it has sent: far longer than any
 * of the batch's transactions, which are milliseconds long.
 */
const LATE_COMMIT_WINDOW = sql`interval '30 seconds'`;

/**
 * A batch's progress as a sequence of events, read from the batch_events log by polling, so
 * that any instance can stream a batch another instance runs. A fresh stream starts with a
 * snapshot whose id is the log position it reflects; a resumed one (lastEventId) replays
 * what followed that position. It ends once the batch has ended, no item is in flight, and
 * the log is drained.
 */
export async function* streamBatchEvents({
  ctx,
  batchId,
  lastEventId,
  signal,
}: {
  ctx: DomainContext;
  batchId: string;
  lastEventId?: number;
  signal?: AbortSignal;
}): AsyncGenerator<BatchEventEnvelope> {
  // Visibility is settled up front: 404 before the first byte, and a tenant only ever gets its own items.
  let visibleReleases: Set<string> | null = null;
  if (ctx.actor.tenantId) {
    const rows = await ctx.db
      .select({ releaseId: batchItems.releaseId })
      .from(batchItems)
      .where(and(eq(batchItems.batchId, batchId), visibleItemsCondition(ctx.actor)));
    visibleReleases = new Set(rows.map((r) => r.releaseId));
  }
  let position = lastEventId ?? 0;
  if (lastEventId === undefined) {
    // The position is read before the state: a change in between is sent twice, never lost.
    const [{ last } = { last: null }] = await ctx.db.select({ last: max(batchEvents.id) }).from(batchEvents).where(eq(batchEvents.batchId, batchId));
    const { batch, items } = await loadVisibleBatch(ctx.db, ctx.actor, batchId);
    position = Number(last ?? 0);
    yield { id: position, event: { type: "snapshot", batch: toBatchView(batch, items) } };
  } else {
    await loadVisibleBatch(ctx.db, ctx.actor, batchId);
  }
  const visible = (e: BatchEvent) => e.type !== "item" || visibleReleases === null || visibleReleases.has(e.item.releaseId);
  let ended = false;
  const inWindow = and(eq(batchEvents.batchId, batchId), gt(batchEvents.createdAt, sql`now() - ${LATE_COMMIT_WINDOW}`));
  // What the client already has: everything up to the starting position that is visible now.
  let sent = new Set((await ctx.db.select({ id: batchEvents.id }).from(batchEvents).where(and(inWindow, lte(batchEvents.id, position)))).map((r) => r.id));
  while (!signal?.aborted) {
    const late = await ctx.db
      .select()
      .from(batchEvents)
      .where(and(inWindow, lte(batchEvents.id, position)))
      .orderBy(asc(batchEvents.id));
    const newer = await ctx.db
      .select()
      .from(batchEvents)
      .where(and(eq(batchEvents.batchId, batchId), gt(batchEvents.id, position)))
      .orderBy(asc(batchEvents.id))
      .limit(PAGE);
    const fresh = [...late.filter((row) => !sent.has(row.id)), ...newer];
    // Only ids still inside the window can come back: the set stays as small as the window.
    sent = new Set([...late.map((row) => row.id), ...newer.map((row) => row.id)]);
    for (const row of fresh) {
      position = Math.max(position, row.id);
      const event = row.payload as BatchEvent;
      if (visible(event)) yield { id: row.id, event };
    }
    if (newer.length === PAGE) continue;
    // One more pass after the end is seen: the final events commit with the final status.
    if (ended) return;
    const [batch] = await ctx.db.select({ status: batches.status }).from(batches).where(eq(batches.id, batchId));
    // A cancelled batch still reports the item that was in flight when it settles.
    if (!batch || (isFinished(batch.status) && !(await hasItemInFlight(ctx, batchId)))) {
      ended = true;
      continue;
    }
    await sleep(POLL_INTERVAL_MS, undefined, { signal }).catch(() => undefined);
  }
}
