import { setTimeout as sleep } from "node:timers/promises";
import { and, asc, eq, gt, isNull, or, sql } from "drizzle-orm";
import type { BatchCounts, BatchEvent, BatchEventEnvelope, BatchItemStatus, BatchItemView } from "@/contracts/batches";
import type { Database } from "@/server/db/client";
import { batchEvents, batches } from "@/server/db/schema";
import type { DomainContext } from "../context";
import { DomainError } from "../errors";
import { bucketOf, countItems, countsOf, isFinished, loadBatchView, loadVisibleBatch, scopeOf, statusInView, tenantCounts, type BatchScope } from "./batch-view";

/** How often a stream looks for new events while its batch moves, and at most while it is paused or queued. */
export const POLL_INTERVAL_MS = 250;
export const IDLE_POLL_MAX_MS = 5_000;
/** Open event streams per actor and instance; one more is refused with 429. */
export const MAX_STREAMS_PER_ACTOR = 8;
const PAGE = 500;

/** An event as the log stores it: both numberings of an item, and the batch-wide counts after the change. */
type StoredEvent =
  | { type: "item"; item: Omit<BatchItemView, "position" | "reasonCode"> & Partial<Pick<BatchItemView, "reasonCode">> & { position: number; tenantPosition: number }; counts?: StoredCounts }
  | { type: "batch"; batch: Extract<BatchEvent, { type: "batch" }>["batch"]; counts?: StoredCounts };
type StoredCounts = Omit<BatchCounts, "cancelled"> & Partial<Pick<BatchCounts, "cancelled">>;

const globalForStreams = globalThis as unknown as { helmdeckOpenStreams?: Map<string, number> };
const openStreams = () => (globalForStreams.helmdeckOpenStreams ??= new Map());

/** A slot of the actor's allowance of open streams, or 429. Returns the function that gives it back (idempotent). */
function takeStreamSlot(actorKey: string): () => void {
  const open = openStreams();
  const n = open.get(actorKey) ?? 0;
  if (n >= MAX_STREAMS_PER_ACTOR) {
    throw new DomainError("TOO_MANY_REQUESTS", `at most ${MAX_STREAMS_PER_ACTOR} event streams may be open at once per caller; close one first`);
  }
  open.set(actorKey, n + 1);
  let given = false;
  return () => {
    if (given) return;
    given = true;
    const left = (open.get(actorKey) ?? 1) - 1;
    if (left > 0) open.set(actorKey, left);
    else open.delete(actorKey);
  };
}

export interface BatchEventStream extends AsyncIterableIterator<BatchEventEnvelope> {
  /** Closes the stream early (the client went away). */
  return(): Promise<IteratorResult<BatchEventEnvelope>>;
}

/**
 * Opens a batch's progress stream for the actor: the one access check of every event stream
 * (404 for a batch it may not see, 429 beyond its allowance of open streams), settled before
 * the first byte. The slot is given back when the stream ends, is closed, or `signal` aborts.
 */
export async function openBatchEvents({
  ctx,
  batchId,
  lastEventId,
  signal,
}: {
  ctx: DomainContext;
  batchId: string;
  lastEventId?: number;
  signal: AbortSignal;
}): Promise<BatchEventStream> {
  const scope = scopeOf(ctx.actor);
  await loadVisibleBatch(ctx.db, scope, batchId);
  const giveBack = takeStreamSlot(`${ctx.actor.kind}:${ctx.actor.id}`);
  signal.addEventListener("abort", giveBack, { once: true });
  const inner = streamBatchEvents({ db: ctx.db, scope, batchId, lastEventId, signal });
  const ended = <T>(result: T) => {
    giveBack();
    return result;
  };
  const stream: BatchEventStream = {
    next: () =>
      inner.next().then(
        (r) => (r.done ? ended(r) : r),
        (e) => ended(Promise.reject(e)),
      ),
    return: () => inner.return(undefined).then(ended, (e) => ended(Promise.reject(e))),
    [Symbol.asyncIterator]: () => stream,
  };
  return stream;
}

/** What a tenant's view of the batch counted after the events up to `seq`: its items, all pending at first, moved by its item events. */
async function tenantCountsAt(db: Database, batchId: string, tenantId: string, seq: number): Promise<BatchCounts> {
  const { total } = await tenantCounts(db, batchId, tenantId);
  const rows = await db
    .select({ status: sql<BatchItemStatus>`${batchEvents.payload} -> 'item' ->> 'status'`, n: sql<number>`count(*)`.mapWith(Number) })
    .from(batchEvents)
    .where(and(eq(batchEvents.batchId, batchId), eq(batchEvents.tenantId, tenantId), sql`${batchEvents.seq} <= ${seq}`))
    .groupBy(sql`1`);
  const counts = { total, pending: total, upgraded: 0, failed: 0, skipped: 0, cancelled: 0 };
  for (const { status, n } of rows) applyDelta(counts, status, n);
  return counts;
}

/** Every item change moves an item out of pending (or leaves it there, when it starts running). */
function applyDelta(counts: BatchCounts, status: BatchItemStatus, n = 1): void {
  const bucket = bucketOf(status);
  if (bucket === "pending") return;
  counts.pending -= n;
  counts[bucket] += n;
  if (status === "CANCELLED") counts.cancelled += n;
}

/**
 * A batch's progress as a sequence of events, read from the batch_events log by polling, so
 * that any instance can stream a batch another instance runs. Events are numbered in commit
 * order without gaps (see commitBatchChange), so "everything after the last number sent"
 * loses nothing and needs no second look.
 *
 * A fresh stream starts with a snapshot (the batch as GET answers it) whose id is the
 * position it reflects; a resumed one (lastEventId) replays what followed. A tenant's view
 * has its own numbering, 1, 2, 3 … over the events it may see, and counts of its own items,
 * so neither ids nor counts reveal the other tenants in a shared batch. The stream ends once
 * the batch has ended and no item is in flight. While the batch does not move (paused,
 * queued) the polls back off to IDLE_POLL_MAX_MS.
 */
export async function* streamBatchEvents({
  db,
  scope,
  batchId,
  lastEventId,
  signal,
}: {
  db: Database;
  scope: BatchScope;
  batchId: string;
  lastEventId?: number;
  signal?: AbortSignal;
}): AsyncGenerator<BatchEventEnvelope> {
  const { tenantId } = scope;
  const visibleEvents = tenantId ? or(eq(batchEvents.tenantId, tenantId), isNull(batchEvents.tenantId)) : undefined;
  let seq: number;
  let viewId: number;
  let counts: BatchCounts;
  if (lastEventId === undefined) {
    // The position and the counts are read in one statement (one snapshot); the items after:
    // a change in between is sent again as an event, never lost.
    const [at] = await db
      .select({
        batch: batches,
        visibleUpTo: tenantId
          ? sql<number>`(select count(*) from ${batchEvents} e where e.batch_id = ${batches.id} and (e.tenant_id = ${tenantId} or e.tenant_id is null) and e.seq <= ${batches.eventSeq})`.mapWith(Number)
          : sql<number>`${batches.eventSeq}`.mapWith(Number),
        tenantTallies: tenantId
          ? sql<Array<{ status: BatchItemStatus; n: number }> | null>`(select json_agg(t) from (select status, count(*)::int as n from batch_items where batch_id = ${batches.id} and tenant_id = ${tenantId} group by status) t)`
          : sql<null>`null`,
      })
      .from(batches)
      .where(eq(batches.id, batchId));
    if (!at) return;
    seq = at.batch.eventSeq;
    viewId = at.visibleUpTo;
    const tallies = typeof at.tenantTallies === "string" ? JSON.parse(at.tenantTallies) : at.tenantTallies;
    counts = tenantId ? countItems(tallies ?? []) : countsOf(at.batch);
    const view = await loadBatchView(db, scope, batchId, { batch: at.batch, counts });
    yield { id: viewId, event: { type: "snapshot", batch: view } };
  } else if (tenantId) {
    // The tenant's n-th event, found among its own (a few per item of its own).
    const [nth] = await db
      .select({ seq: batchEvents.seq })
      .from(batchEvents)
      .where(and(eq(batchEvents.batchId, batchId), visibleEvents))
      .orderBy(asc(batchEvents.seq))
      .offset(Math.max(0, lastEventId - 1))
      .limit(1);
    if (nth && lastEventId > 0) {
      seq = nth.seq;
      viewId = lastEventId;
    } else if (lastEventId === 0) {
      seq = 0;
      viewId = 0;
    } else {
      const [last] = await db
        .select({ seq: sql<number>`coalesce(max(${batchEvents.seq}), 0)`.mapWith(Number), n: sql<number>`count(*)`.mapWith(Number) })
        .from(batchEvents)
        .where(and(eq(batchEvents.batchId, batchId), visibleEvents));
      seq = last?.seq ?? 0;
      viewId = last?.n ?? 0;
    }
    counts = await tenantCountsAt(db, batchId, tenantId, seq);
  } else {
    seq = lastEventId;
    viewId = lastEventId;
    const { counts: now } = await loadVisibleBatch(db, scope, batchId);
    counts = now;
  }

  let ended = false;
  let idleMs = POLL_INTERVAL_MS;
  while (!signal?.aborted) {
    const rows = await db
      .select({ seq: batchEvents.seq, payload: batchEvents.payload })
      .from(batchEvents)
      .where(and(eq(batchEvents.batchId, batchId), gt(batchEvents.seq, seq), visibleEvents))
      .orderBy(asc(batchEvents.seq))
      .limit(PAGE);
    for (const row of rows) {
      seq = row.seq;
      viewId = tenantId ? viewId + 1 : row.seq;
      const stored = row.payload as StoredEvent;
      if (tenantId) {
        if (stored.type === "item") applyDelta(counts, stored.item.status);
      } else if (stored.counts) {
        // Events written before `cancelled` was counted carry none.
        counts = { cancelled: 0, ...stored.counts };
      }
      yield { id: viewId, event: toView(stored, scope, { ...counts }) };
    }
    if (rows.length === PAGE) continue;
    // One more pass after the end is seen: the final events commit with the final status.
    if (ended) return;
    const [batch] = await db.select({ status: batches.status, pending: batches.itemsPending }).from(batches).where(eq(batches.id, batchId));
    // A cancelled batch still reports the items that were in flight when they settle.
    if (!batch || (isFinished(batch.status) && batch.pending === 0)) {
      ended = true;
      continue;
    }
    idleMs = rows.length > 0 || batch.status === "RUNNING" ? POLL_INTERVAL_MS : Math.min(idleMs * 2, IDLE_POLL_MAX_MS);
    await sleep(idleMs, undefined, { signal }).catch(() => undefined);
  }
}

function toView(stored: StoredEvent, scope: BatchScope, counts: BatchCounts): BatchEvent {
  if (stored.type === "batch") return { type: "batch", batch: scope.tenantId ? { ...stored.batch, status: statusInView(stored.batch.status, counts) } : stored.batch, counts };
  const { tenantPosition, position, ...item } = stored.item;
  // Events written before reason codes were recorded carry none.
  return { type: "item", item: { ...item, reasonCode: item.reasonCode ?? null, position: scope.tenantId ? tenantPosition : position }, counts };
}
