import { setTimeout as sleep } from "node:timers/promises";
import { and, asc, count, desc, eq, gt, inArray, lt, sql } from "drizzle-orm";
import { PENDING_STATUSES } from "@/contracts/releases";
import type { Database } from "@/server/db/client";
import { pipelined } from "@/server/db/pipeline";
import { batchItems, batches, releases, revisions } from "@/server/db/schema";
import type { DeployDriver } from "@/server/deploy/driver";
import { log } from "@/server/observability/log";
import { recordAuditEvent } from "../audit/record-audit-event";
import { requireChartVersion } from "../charts/list-chart-versions";
import { DomainError } from "../errors";
import { applyOperation, reclaimAbandonedOperation } from "../releases/release-operation";
import { emitBatchEvent } from "../webhooks/emit-batch-event";
import { changesCrossed } from "../releases/prepare-upgrade";
import { keepBatchLease, releaseBatchLease } from "./batch-lease";
import { batchContext, canaryAfterSettle, itemsLeftRunning, settleAtomicFailure, settleItemOnly, type BatchRun, type LockedRelease, type Outcome } from "./batch-item";
import { runStep, type Answered, type StepInput, type StepResult } from "./batch-step";
import { countsOf, endStatusSql, type BatchItemRow, type BatchRow } from "./batch-view";
import { BatchChangeRefused, commitBatchChange, heldBy, statusIn } from "./record-batch-event";

export interface RunBatchArgs {
  db: Database;
  batchId: string;
  runnerId: string;
  driver?: DeployDriver;
  /** Aborted when the runner stops: nothing new starts, the items in flight finish. */
  signal?: AbortSignal;
}

const PREFETCH = 256;

/** QUEUED becomes RUNNING when a runner first takes the batch up. */
async function openRun(args: RunBatchArgs): Promise<BatchRow | undefined> {
  const [batch] = await args.db
    .select()
    .from(batches)
    .where(and(eq(batches.id, args.batchId), eq(batches.runnerId, args.runnerId)));
  if (!batch || batch.status !== "QUEUED") return batch;
  return args.db.transaction(async (tx) => {
    const ctx = batchContext({ db: args.db, batch });
    const [, started] = await pipelined([
      () => recordAuditEvent(tx, ctx, { action: "batch.started", targetType: "batch", targetId: batch.id, summary: { runnerId: args.runnerId } }),
      () =>
        commitBatchChange(tx, {
          batchId: batch.id,
          guard: sql`${heldBy(args.runnerId)} and ${statusIn("QUEUED")}`,
          set: { status: sql`'RUNNING'`, started_at: sql`coalesce(batches.started_at, now())` },
          batchEvent: true,
        }),
    ]);
    // Once the change has answered (pipelined statements may reach the server in another order): it reads the batch as RUNNING.
    await emitBatchEvent(tx, "batch.started", batch.id);
    return started as BatchRow;
  });
}

/** Ends the batch once every item has settled: maxFailures turns the ones never started into SKIPPED first. */
async function finalize(run: BatchRun, halted: boolean): Promise<void> {
  const { maxFailures } = run.options;
  await run.db.transaction(async (tx) => {
    const reason = `not attempted: the batch halted after ${maxFailures} failure${maxFailures === 1 ? "" : "s"} (maxFailures)`;
    const done = await commitBatchChange(tx, {
      batchId: run.batch.id,
      guard: sql`${heldBy(run.runnerId)} and ${statusIn("RUNNING")}`,
      items: halted ? sql`update batch_items set status = 'SKIPPED', error = ${reason}, finished_at = now() where batch_id = ${run.batch.id} and status = 'PENDING' returning *` : undefined,
      set: {
        status: endStatusSql(sql`batches.items_failed`, sql`batches.items_upgraded`),
        finished_at: sql`now()`,
      },
      batchEvent: true,
    });
    await pipelined([
      () => recordAuditEvent(tx, batchContext(run), { action: "batch.finished", targetType: "batch", targetId: run.batch.id, summary: { status: done.status, counts: countsOf(done) } }),
      () => emitBatchEvent(tx, "batch.finished", run.batch.id),
    ]);
  });
}

const outcomeOf = (r: { status: string; revision: number; error: string | null }): Outcome =>
  r.status === "FAILED" ? { status: "FAILED", revision: r.revision, error: r.error } : { status: "UPGRADED", revision: r.revision, error: null };

/**
 * An item found RUNNING was being processed when its runner died. If this batch already
 * recorded a revision for the release, its result is the item's result: the release is
 * never upgraded twice. A pending one is waited for until its lease runs out (the time is
 * known, so this sleeps once rather than polling) and then reclaimed; one that was
 * abandoned never reached a driver result, so the item runs again (null).
 */
async function reconcile(run: BatchRun, item: BatchItemRow, signal: AbortSignal): Promise<Outcome | null | "interrupted"> {
  const operation = run.batch.kind === "upgrade" ? "upgrade" : "rollback";
  for (;;) {
    const [revision] = await run.db
      .select()
      .from(revisions)
      .where(and(eq(revisions.releaseId, item.releaseId), eq(revisions.batchId, run.batch.id), eq(revisions.operation, operation)))
      .orderBy(desc(revisions.revision))
      .limit(1);
    if (!revision) return null;
    if ((PENDING_STATUSES as readonly string[]).includes(revision.status)) {
      const [lease] = await run.db
        .select({ waitMs: sql<number>`greatest(0, extract(epoch from ${releases.leaseExpiresAt} - now()) * 1000)`.mapWith(Number) })
        .from(releases)
        .where(and(eq(releases.id, item.releaseId), eq(releases.pendingRevision, revision.revision)));
      if (lease && lease.waitMs > 0) {
        await sleep(lease.waitMs + 10, undefined, { signal }).catch(() => undefined);
        if (signal.aborted) return "interrupted";
      }
      await reclaimAbandonedOperation(batchContext(run), item.releaseId);
      continue;
    }
    if (revision.status === "FAILED" && revision.error?.startsWith("abandoned:")) return null;
    return outcomeOf(revision);
  }
}

/** A generic reason for an item that failed on something other than a domain rule: the details go to the log, never to tenants. */
const internalFailure = (run: BatchRun, item: BatchItemRow, e: unknown): Outcome => {
  log.error({ err: e, batchId: run.batch.id, position: item.position, releaseId: item.releaseId }, "batch item failed on an internal error");
  return { status: "FAILED", revision: null, error: `internal error while processing this release (reference batch:${run.batch.id}:${item.position + 1}; details in the server log)` };
};

/**
 * Runs a claimed batch until it ends, pauses, is cancelled, the claim is lost or the runner
 * stops. Up to `concurrency` items run at once within one environment wave; the next wave
 * starts once the previous one has settled. The caller must hold the batch's lease.
 */
export async function runBatch(args: RunBatchArgs): Promise<void> {
  const halt = new AbortController();
  const onStop = () => halt.abort();
  args.signal?.addEventListener("abort", onStop);
  if (args.signal?.aborted) halt.abort();
  const stopLease = keepBatchLease(args.db, args.batchId, args.runnerId, () => halt.abort());
  try {
    const batch = await openRun(args);
    if (!batch) return;
    const chart = batch.kind === "upgrade" ? await requireChartVersion(args.db, batch.chartName, batch.targetVersion) : null;
    const breaking = new Map<string | null, Awaited<ReturnType<typeof changesCrossed>>>();
    const run: BatchRun = {
      db: args.db,
      runnerId: args.runnerId,
      driver: args.driver,
      batch,
      options: batch.options,
      chart,
      loadBreaking: async (db, from) => {
        if (!breaking.has(from)) breaking.set(from, await changesCrossed(db, batch.chartName, from, batch.targetVersion));
        return breaking.get(from)!;
      },
    };
    await drive(run, halt.signal);
  } finally {
    args.signal?.removeEventListener("abort", onStop);
    stopLease();
    await releaseBatchLease(args.db, args.batchId, args.runnerId).catch((e) => log.error({ err: e, batchId: args.batchId }, "could not release a batch lease"));
  }
}

async function drive(run: BatchRun, halt: AbortSignal): Promise<void> {
  const { canary, maxFailures } = run.options;
  const concurrency = run.options.concurrency ?? 1;
  const reachedMaxFailures = () => maxFailures !== undefined && run.batch.itemsFailed >= maxFailures;
  const observe = (batch: BatchRow | null) => {
    if (batch) run.batch = batch;
  };

  // The canary is the first `canary` items: nothing past them starts until they have all
  // settled, and the settle that completes them pauses the batch. Counted from the database,
  // so a resumed batch that already paused for its canary never pauses again.
  let canaryLeft = 0;
  if (canary !== undefined && canary < run.batch.itemsTotal) {
    const [{ n } = { n: 0 }] = await run.db
      .select({ n: count() })
      .from(batchItems)
      .where(and(eq(batchItems.batchId, run.batch.id), lt(batchItems.position, canary), inArray(batchItems.status, ["PENDING", "RUNNING"])));
    canaryLeft = Number(n);
  }
  // Past the canary, nothing starts in the run that settles it: the step that completes it
  // pauses the batch. The run after resume counts 0 left and starts them.
  const canaryGateOpen = canaryLeft === 0;
  const settling = (item: BatchItemRow) => () => {
    const counted = canaryAfterSettle(canary, item, canaryLeft);
    canaryLeft = counted.left;
    return counted.completes;
  };

  // Items a dead runner left RUNNING are resolved first, one by one: those whose outcome is
  // known settle, the others start again below.
  const restarts: BatchItemRow[] = [];
  for (const item of await itemsLeftRunning(run.db, run.batch.id)) {
    const found = await reconcile(run, item, halt);
    if (found === "interrupted") return;
    if (found || run.batch.status === "CANCELLED") {
      const outcome = found ?? { status: "CANCELLED" as const, revision: null, error: "the batch was cancelled before this release was processed" };
      observe(await settleItemOnly(run, item, { outcome, pauseForCanary: settling(item)() }));
    } else {
      restarts.push(item);
    }
  }

  /** Started and not yet settled (its driver may have answered): position → wave. */
  const inFlight = new Map<number, number>();
  /** Driver answers waiting for the next step. */
  const answered: Answered[] = [];
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  let refused = false;
  let failure: unknown = null;

  const launch = ({ item, operation }: StepResult["running"][number]) => {
    inFlight.set(item.position, item.wave);
    applyOperation(batchContext(run), operation).then(
      (result) => answered.push({ item, started: operation, result }),
      (e) => {
        failure ??= e;
        inFlight.delete(item.position);
      },
    ).finally(notify);
  };

  /**
   * A step; one that fails is made again item by item, so that an internal fault fails one
   * item, not its neighbours (a domain error still stops the run, as it did for one item).
   */
  const step = async (input: StepInput): Promise<StepResult> => {
    try {
      return await runStep(run, input);
    } catch (e) {
      // Made again one by one, outcomes first: a start's fault must not lose the outcomes recorded beside it.
      if (input.settles.length + input.starts.length > 1) {
        const merged: StepResult = { batch: run.batch, running: [], heldBack: [], canaryLeft: input.canaryLeft, prefetched: new Map() };
        const singles = [...input.settles.map((a) => ({ settles: [a], starts: [] })), ...input.starts.map((item) => ({ settles: [], starts: [item] }))];
        for (const single of singles) {
          // After a fault nothing new starts; every outcome is still recorded, each on its own.
          if (failure !== null || merged.batch === null) {
            merged.heldBack.push(...single.starts);
            if (single.starts.length > 0) continue;
          }
          try {
            const one = await step({ ...single, canaryLeft: merged.canaryLeft, prefetched: input.prefetched });
            merged.batch = one.batch;
            merged.canaryLeft = one.canaryLeft;
            merged.running.push(...one.running);
            merged.heldBack.push(...one.heldBack);
          } catch (err) {
            failure ??= err;
            merged.heldBack.push(...single.starts);
          }
        }
        return merged;
      }
      const [item] = input.starts;
      if (!item || e instanceof DomainError) throw e;
      canaryLeft = input.canaryLeft;
      const batch = await settleItemOnly(run, item, { outcome: internalFailure(run, item, e), pauseForCanary: settling(item)() });
      return { batch, running: [], heldBack: [], canaryLeft, prefetched: new Map() };
    }
  };

  let queue: BatchItemRow[] = [];
  let after = -1;
  let exhausted = false;
  const refill = async () => {
    queue = await run.db
      .select()
      .from(batchItems)
      .where(and(eq(batchItems.batchId, run.batch.id), eq(batchItems.status, "PENDING"), gt(batchItems.position, after)))
      .orderBy(asc(batchItems.position))
      .limit(PREFETCH);
    exhausted = queue.length < PREFETCH;
    after = queue.at(-1)?.position ?? after;
  };

  /** Rows of queued items read (unlocked) by the last step, which the next one may plan from. */
  let prefetched = new Map<string, LockedRelease>();
  const mayStart = () => !refused && failure === null && !halt.aborted && run.batch.status === "RUNNING" && !reachedMaxFailures();
  for (;;) {
    const settles: Answered[] = [];
    for (const done of answered.splice(0)) {
      const { item, started, result } = done;
      if (!result.ok && run.batch.kind === "upgrade" && run.options.atomic && started.target.release.deployedRevision !== null) {
        // Rare and several transactions long: on its own, in order.
        try {
          observe(await settleAtomicFailure(run, item, started, result, settling(item)));
        } catch (e) {
          failure ??= e;
        }
        inFlight.delete(item.position);
      } else {
        settles.push(done);
      }
    }

    const starts: BatchItemRow[] = [];
    if (mayStart()) {
      const free = concurrency - (inFlight.size - settles.length);
      while (starts.length < free) {
        if (restarts.length === 0 && queue.length === 0 && !exhausted) await refill();
        const source = restarts.length > 0 ? restarts : queue;
        const next = source[0];
        if (!next) break;
        if (canary !== undefined && next.position >= canary && !canaryGateOpen) break;
        // A wave starts only once every item of the waves before it has settled (in an earlier step).
        if ([...inFlight.values()].some((wave) => wave < next.wave) || starts.some((s) => s.wave < next.wave)) break;
        source.shift();
        starts.push(next);
      }
    }

    if (settles.length === 0 && starts.length === 0) {
      if (inFlight.size === 0) break;
      // Answers that arrived while this turn awaited are handled before sleeping.
      if (answered.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      continue;
    }

    try {
      // The rows of the items likely to start next are read with this step's writes.
      const done = await step({ settles, starts, canaryLeft, prefetched, prefetch: queue.slice(0, concurrency) });
      prefetched = done.prefetched;
      canaryLeft = done.canaryLeft;
      if (done.batch === null) refused = true;
      observe(done.batch);
      queue.unshift(...done.heldBack);
      for (const started of done.running) launch(started);
    } catch (e) {
      prefetched = new Map();
      if (e instanceof BatchChangeRefused) refused = true;
      else failure ??= e;
    }
    for (const { item } of settles) inFlight.delete(item.position);
    // PGlite answers inside the process: without a turn of the event loop between steps, a
    // batch at 0 ms latency would chain promises forever and starve every HTTP request.
    await new Promise((resolve) => setImmediate(resolve));
  }

  if (failure !== null) throw failure;
  if (refused || halt.aborted || run.batch.status !== "RUNNING") return;
  const halted = reachedMaxFailures();
  if (halted || (queue.length === 0 && exhausted && restarts.length === 0)) {
    await finalize(run, halted).catch((e) => {
      if (!(e instanceof BatchChangeRefused)) throw e;
    });
  }
}
