import { and, sql, type SQL } from "drizzle-orm";
import type { Transaction } from "@/server/db/client";
import { pipelined, pipelinedWithCommit, type Statement } from "@/server/db/pipeline";
import type { DeployResult } from "@/server/deploy/driver";
import { auditInsert, logAuditEvents, type AuditEntry } from "../audit/record-audit-event";
import {
  abandonWrites,
  type PendingOperation,
  type RecordedOutcome,
  finishOperation,
  outcomeWrites,
  pendingRevisionOf,
  pendingRevisionWrites,
  recordAbandoned,
  recordOutcome,
  type StartedOperation,
} from "../releases/release-operation";
import type { ReleaseRow } from "../releases/views";
import { webhookInsert } from "../webhooks/emit-webhook-event";
import {
  batchContext,
  canaryAfterSettle,
  decide,
  itemsChange,
  lockedReleasesOf,
  lockReleases,
  pauseForCanary,
  prefetchReleases,
  reportCanaryPause,
  staleReleasesGuard,
  type BatchRun,
  type ItemChange,
  type LockedRelease,
  type Outcome,
} from "./batch-item";
import type { BatchItemRow, BatchRow } from "./batch-view";
import { BatchChangeRefused, commitBatchChange, heldBy, statusIn } from "./record-batch-event";

/** An item whose driver has answered: its outcome waits for the next step to be recorded. */
export interface Answered {
  item: BatchItemRow;
  started: StartedOperation;
  result: DeployResult;
}

export interface StepInput {
  settles: Answered[];
  /** Items to start, in processing order. */
  starts: BatchItemRow[];
  /** Canary items still to settle before this step; the step that brings it to 0 pauses the batch. */
  canaryLeft: number;
  /** Rows an earlier step read (unlocked) for these starts: the step may plan from them, see runStep. */
  prefetched?: Map<string, LockedRelease>;
  /** Items the next step will likely start: their rows are read with this step's writes. */
  prefetch?: BatchItemRow[];
}

export interface StepResult {
  /** The batch after the step; null when this runner no longer holds it (the outcomes were recorded on the releases alone). */
  batch: BatchRow | null;
  running: Array<{ item: BatchItemRow; operation: StartedOperation }>;
  /** Starts not made: maxFailures was reached within the step, or the batch stopped running. They are still PENDING. */
  heldBack: BatchItemRow[];
  canaryLeft: number;
  /** The rows of `prefetch`, for the next step. */
  prefetched: Map<string, LockedRelease>;
}

/**
 * One transaction records what a batch's runner has to record at this moment: the outcomes
 * of the items whose driver answered, and the start of the next items (or their refusal).
 * Every release involved is locked by one statement, every write is sent at once, and the
 * batch row, whose lock serializes a batch's changes, is taken by the last statement only.
 * So a batch costs one commit per step rather than two per item, and concurrent items never
 * queue behind each other on the batch row or the version counts: a sequential batch settles
 * an item and starts the next in one transaction; with concurrency, every slot freed since
 * the last step is refilled by the next one.
 *
 * Starts need the batch RUNNING; settles only need this runner to hold it. If the batch was
 * paused or cancelled meanwhile, the step is made again without its starts; if the runner
 * lost the batch, each outcome is recorded on its release alone and the item is left to the
 * runner that holds the batch now (it reads the outcome from the revision).
 */
export async function runStep(run: BatchRun, input: StepInput): Promise<StepResult> {
  // Planned from the rows the previous step read: one round trip (lock and check, writes,
  // COMMIT) instead of a locked read first. Whatever goes wrong, including a release that
  // changed since it was read, the step is made again as below, from a locked read.
  if (input.starts.length > 0 && input.starts.every((item) => input.prefetched?.has(item.releaseId))) {
    try {
      return await stepTransaction(run, input, input.prefetched);
    } catch {
      // made again below
    }
  }
  try {
    return await stepTransaction(run, input);
  } catch (e) {
    if (!(e instanceof BatchChangeRefused)) throw e;
  }
  if (input.starts.length > 0) {
    try {
      return { ...(await stepTransaction(run, { ...input, starts: [] })), heldBack: input.starts };
    } catch (e) {
      if (!(e instanceof BatchChangeRefused)) throw e;
    }
  }
  const ctx = batchContext(run);
  for (const { started, result } of input.settles) await finishOperation(ctx, started, result);
  return { batch: null, running: [], heldBack: input.starts, canaryLeft: input.canaryLeft, prefetched: new Map() };
}

/**
 * A step's statements run with generic plans. They are prepared once per connection, but
 * PostgreSQL re-plans a prepared statement for each execution as long as it judges custom
 * plans better, and for these (CTEs over JSON record sets, id arrays) it kept doing so:
 * measured in process, sequentially, PostgreSQL's CPU per item fell from 3.4–4.0 ms to
 * 2.6 ms with generic plans, and the batch ran 175–216/s → 238/s. Their plans do not depend
 * on the values: index lookups by id and position whatever the number of items.
 */
const genericPlans = (tx: Transaction): Statement => () => tx.execute(sql`set local plan_cache_mode = force_generic_plan`);

async function stepTransaction(run: BatchRun, input: StepInput, prefetched?: Map<string, LockedRelease>): Promise<StepResult> {
  const ctx = batchContext(run);
  const { canary, maxFailures } = run.options;
  const recorded: Answered[] = [];
  const abandoned: ReleaseRow[] = [];
  let audited: AuditEntry[] = [];
  const committed = await run.db.transaction(async (tx: Transaction) => {
    const guard: Statement[] = [genericPlans(tx)];
    let locked: Map<string, LockedRelease>;
    if (prefetched) {
      // What the plan assumes, checked (and locked) by the pipeline's first statement.
      locked = new Map(input.starts.map((item) => [item.releaseId, prefetched.get(item.releaseId)!]));
      for (const { item, started } of input.settles) {
        // Only the lease matters to a settle (the guard checks it); the rest is as the start read it.
        locked.set(item.releaseId, { release: { ...started.target.release, pendingRevision: started.revision.revision }, tenant: started.target.tenant, base: null, now: new Date(), version: "" });
      }
      guard.push(
        staleReleasesGuard(tx, run.batch.id, [
          ...input.settles.map(({ item, started }) => ({ id: item.releaseId, version: null, pending: started.revision.revision })),
          ...input.starts.map((item) => ({ id: item.releaseId, version: locked.get(item.releaseId)!.version, pending: null })),
        ]),
      );
    } else {
      const [, read] = await pipelined([...guard.splice(0), lockReleases(tx, [...input.settles.map((s) => s.item), ...input.starts])]);
      locked = lockedReleasesOf(read);
    }
    const abandons: Statement[] = [];
    const outcomes: RecordedOutcome[] = [];
    const pending: PendingOperation[] = [];
    const skips: AuditEntry[] = [];
    const changes: ItemChange[] = [];
    let failures = run.batch.itemsFailed;
    let canaryLeft = input.canaryLeft;
    let pause = false;
    const settled = (item: BatchItemRow, outcome: Outcome, fromPending: boolean) => {
      changes.push({ position: item.position, status: outcome.status, revision: outcome.revision, error: outcome.error, reason_code: outcome.reasonCode ?? null, from_pending: fromPending });
      if (outcome.status === "FAILED") failures++;
      const canaryCount = canaryAfterSettle(canary, item, canaryLeft);
      canaryLeft = canaryCount.left;
      pause ||= canaryCount.completes;
    };

    for (const answered of input.settles) {
      const { item, started, result } = answered;
      const release = locked.get(item.releaseId)?.release;
      const number = started.revision.revision;
      const holdsLease = release?.pendingRevision === number;
      settled(
        item,
        !holdsLease
          ? { status: "FAILED", revision: number, error: "abandoned: the operation's lease expired before the deploy driver answered" }
          : result.ok
            ? { status: "UPGRADED", revision: number, error: null }
            : { status: "FAILED", revision: number, error: result.error },
        false,
      );
      if (holdsLease) {
        outcomes.push({ started, result, release });
        recorded.push(answered);
      }
    }

    const running: StepResult["running"] = [];
    const heldBack: BatchItemRow[] = [];
    for (const item of input.starts) {
      // maxFailures stops starting items once reached, counting the failures of this very step.
      if (pause || (maxFailures !== undefined && failures >= maxFailures)) {
        heldBack.push(item);
        continue;
      }
      const row = locked.get(item.releaseId);
      const decision = await decide(tx, run, row);
      if (decision.kind === "skip") {
        settled(item, { status: "SKIPPED", revision: null, error: decision.reason, reasonCode: decision.reasonCode }, true);
        // A skipped release gets no revision, so this is its only trace in the tenant's audit log.
        skips.push({
          action: "batch.item.skipped",
          targetType: "release",
          targetId: item.releaseId,
          releaseId: item.releaseId,
          tenantId: item.tenantId,
          summary: { batchId: item.batchId, reason: decision.reason },
        });
        continue;
      }
      if (decision.kind === "fail") {
        settled(item, { status: "FAILED", revision: null, error: decision.error, reasonCode: decision.reasonCode }, true);
        continue;
      }
      const target = { release: row!.release, tenant: row!.tenant };
      const operation = run.batch.kind === "upgrade" ? "upgrade" : "rollback";
      if (decision.abandon) {
        abandons.push(...abandonWrites(tx, ctx, target.release));
        abandoned.push(target.release);
      }
      pending.push({ target, operation, planned: decision.planned, batchId: item.batchId });
      changes.push({ position: item.position, status: "RUNNING", revision: null, error: null, reason_code: null, from_pending: true });
      running.push({
        item,
        operation: {
          operation,
          target,
          revision: pendingRevisionOf(target, decision.planned),
          batchId: item.batchId,
          rollbackTo: decision.planned.rollbackTo,
          startedAt: performance.now(),
        },
      });
    }

    const writes = [
      ...(outcomes.length > 0 ? [outcomeWrites(tx, outcomes)] : []),
      ...(skips.length > 0 ? [{ statements: [], audit: skips, webhooks: [] }] : []),
      ...(pending.length > 0 ? [pendingRevisionWrites(tx, ctx, pending)] : []),
    ];
    const starting = changes.some((c) => c.from_pending);
    audited = writes.flatMap((w) => w.audit);
    const webhooks = writes.flatMap((w) => w.webhooks);
    const statements: Statement[] = [...guard, ...abandons, ...writes.flatMap((w) => w.statements)];
    // The step's audit events and webhook deliveries are parts of its batch change: two statements fewer per step.
    statements.push(() =>
      commitBatchChange(tx, {
        batchId: run.batch.id,
        guard: (starting ? and(heldBy(run.runnerId), statusIn("RUNNING")) : heldBy(run.runnerId)) as SQL,
        expectItems: changes.length,
        items: changes.length > 0 ? itemsChange(run.batch.id, changes) : undefined,
        ...(pause ? pauseForCanary : {}),
        alongside: [...(audited.length > 0 ? [auditInsert(ctx, audited)] : []), ...(webhooks.length > 0 ? [webhookInsert(webhooks)] : [])],
      }),
    );
    // Every check of these statements fails in SQL, so COMMIT can travel with them, unless a
    // canary pause still has its own events to write.
    const prefetch = input.prefetch ?? [];
    if (prefetch.length > 0) statements.push(prefetchReleases(tx, prefetch));
    const answers = pause ? await pipelined(statements) : await pipelinedWithCommit(tx, statements);
    const batch = (prefetch.length > 0 ? answers.at(-2) : answers.at(-1)) as BatchRow;
    await reportCanaryPause(tx, run, batch, pause);
    return { batch, running, heldBack, canaryLeft, prefetched: prefetch.length > 0 ? lockedReleasesOf(answers.at(-1)) : new Map<string, LockedRelease>() };
  });
  logAuditEvents(ctx, audited);
  for (const { started, result } of recorded) recordOutcome(started, result);
  for (const release of abandoned) recordAbandoned(release);
  return committed;
}
