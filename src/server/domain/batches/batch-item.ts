import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { BatchItemStatus, BatchOptions, BatchReasonCode } from "@/contracts/batches";
import type { ChartChange } from "@/contracts/common";
import type { Actor } from "@/server/auth/actor";
import type { Database, DbOrTx, Transaction } from "@/server/db/client";
import { pipelined, type Statement } from "@/server/db/pipeline";
import { rowFromJson, rowsOf } from "@/server/db/raw";
import { batchItems, releases, revisions, tenants } from "@/server/db/schema";
import type { DeployDriver, DeployResult } from "@/server/deploy/driver";
import { log } from "@/server/observability/log";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { ChartVersionRow } from "../charts/chart-version-view";
import type { DomainContext } from "../context";
import { DomainError } from "../errors";
import type { PlannedRevision, StartedOperation } from "../releases/release-operation";
import {
  abandonWrites,
  finishOperation,
  leaseExpired,
  outcomeWrites,
  pendingRevisionOf,
  pendingRevisionWrites,
  recordAbandoned,
  recordOutcome,
  type OutcomeRelease,
} from "../releases/release-operation";
import { enforceBlockingChecks, prepareUpgradeFrom, refusalCode } from "../releases/prepare-upgrade";
import { rollbackRelease } from "../releases/rollback-release";
import { describeWindow, isInsideWindow } from "../tenants/maintenance-window";
import { semverSortKey } from "../versions/semver";
import { emitBatchEvent } from "../webhooks/emit-batch-event";
import type { BatchItemRow, BatchRow } from "./batch-view";
import { BatchChangeRefused, commitBatchChange, heldBy, statusIn } from "./record-batch-event";

export type Outcome = { status: Extract<BatchItemStatus, "UPGRADED" | "FAILED" | "SKIPPED" | "CANCELLED">; revision: number | null; error: string | null; reasonCode?: BatchReasonCode };

/** What one run of a batch shares between its items: the claim, the target, and caches of immutable chart data. */
export interface BatchRun {
  db: Database;
  runnerId: string;
  driver?: DeployDriver;
  batch: BatchRow;
  options: BatchOptions;
  /** The target chart version (upgrade batches); chart versions are immutable. */
  chart: ChartVersionRow | null;
  /** Breaking changelog entries by the version an item starts from, read once per run (through the caller's transaction). */
  loadBreaking(db: DbOrTx, from: string | null): Promise<Array<ChartChange & { version: string }>>;
}

/** Upgrades run as the batch's creator, so revisions and audit name who asked for them. */
export const batchActor = (batch: BatchRow): Actor => ({ kind: "system", id: `batch:${batch.id}`, name: batch.createdBy, role: "platform-admin", tenantId: batch.tenantId });
export const batchContext = (run: Pick<BatchRun, "db" | "batch" | "driver">): DomainContext => ({
  db: run.db,
  actor: batchActor(run.batch),
  driver: run.driver,
  requestId: `batch:${run.batch.id}`,
});

/** How an item settles, and whether that settle completes the canary (the batch pauses with it). */
export interface Settle {
  outcome: Outcome;
  pauseForCanary: boolean;
}

const itemWhere = (item: BatchItemRow, from: BatchItemStatus[]) =>
  sql`batch_id = ${item.batchId} and position = ${item.position} and status in (${sql.join(from.map((s) => sql`${s}`), sql`, `)})`;

/** The batch change that settles one item (and pauses the batch after its canary). */
function settleChange(run: BatchRun, item: BatchItemRow, { outcome, pauseForCanary }: Settle, from: BatchItemStatus[]): Parameters<typeof commitBatchChange>[1] {
  return {
    batchId: item.batchId,
    guard: heldBy(run.runnerId),
    expectItems: 1,
    items: sql`update batch_items set status = ${outcome.status}, revision = ${outcome.revision}, error = ${outcome.error}, reason_code = ${outcome.reasonCode ?? null}, finished_at = now() where ${itemWhere(item, from)} returning *`,
    ...(pauseForCanary ? { set: { status: sql`case when batches.status = 'RUNNING' then 'PAUSED' else batches.status end` }, batchEvent: true } : {}),
  };
}

/**
 * After a change that paused the batch for its canary: the audit and webhook events of that
 * pause. Only the settle that completed the canary reports it; an item settling later in a
 * batch paused by a person does not.
 */
async function reportCanaryPause(tx: Transaction, run: BatchRun, batch: BatchRow, settle: Settle): Promise<void> {
  if (!settle.pauseForCanary || batch.status !== "PAUSED") return;
  await pipelined([
    () =>
      recordAuditEvent(tx, batchContext(run), {
        action: "batch.paused",
        targetType: "batch",
        targetId: batch.id,
        summary: { reason: `canary: the first ${run.options.canary} settled` },
      }),
    () => emitBatchEvent(tx, "batch.paused", batch.id),
  ]);
}

/** Settles an item without touching its release (an outcome read back after a crash, a refusal, a cancellation). */
export async function settleItemOnly(run: BatchRun, item: BatchItemRow, settle: Settle): Promise<BatchRow> {
  return run.db.transaction(async (tx) => {
    const batch = await commitBatchChange(tx, settleChange(run, item, settle, ["PENDING", "RUNNING"]));
    await reportCanaryPause(tx, run, batch, settle);
    return batch;
  });
}

type Decision =
  | { kind: "run"; planned: PlannedRevision; abandon: boolean }
  | { kind: "skip"; reason: string; reasonCode?: BatchReasonCode }
  | { kind: "fail"; error: string; reasonCode?: BatchReasonCode };

type LockedRelease = Awaited<ReturnType<typeof lockRelease>>;

/**
 * The release, its tenant and the revision a plan starts from, locked, with the database's
 * clock: one round trip. row_to_json, not to_jsonb: values are json and keep their key
 * order. Raw SQL: this runs for every item of a batch, and building the
 * three-table select through the query builder costs more than running it.
 */
async function lockRelease(tx: Transaction, item: BatchItemRow) {
  const [row] = rowsOf<{ release: Record<string, unknown>; tenant: Record<string, unknown>; base: Record<string, unknown> | null; now: string | Date }>(
    await tx.execute(sql`
      select row_to_json(r) as release, row_to_json(t) as tenant, row_to_json(v) as base, now() as now
      from ${releases} r
      join ${tenants} t on t.id = r.tenant_id
      left join ${revisions} v on v.release_id = r.id and v.revision = coalesce(${item.targetRevision}::int, r.deployed_revision)
      where r.id = ${item.releaseId}
      for update of r`),
  );
  if (!row) return undefined;
  return { release: rowFromJson(releases, row.release)!, tenant: rowFromJson(tenants, row.tenant)!, base: rowFromJson(revisions, row.base), now: new Date(row.now) };
}

async function decide(tx: Transaction, run: BatchRun, row: LockedRelease): Promise<Decision> {
  if (!row) return { kind: "skip", reason: "the release no longer exists" };
  const { release, tenant, base, now } = row;
  const abandon = leaseExpired(release, now);
  if (release.pendingRevision !== null && !abandon) {
    return { kind: "fail", error: `another operation (revision ${release.pendingRevision}) is in progress on release ${release.name} until its lease expires at ${release.leaseExpiresAt?.toISOString()}` };
  }
  if (run.batch.kind === "rollback") {
    if (!base) return { kind: "fail", error: "the release had no deployed revision before the batch" };
    return {
      kind: "run",
      abandon,
      planned: { chartVersion: base.chartVersion, appVersion: base.appVersion, valuesOverride: {}, userValues: base.userValues, values: base.values, description: `Rollback to ${base.revision}`, rollbackTo: base.revision },
    };
  }
  if (release.status === "UNINSTALLED") return { kind: "skip", reason: "the release is uninstalled" };
  // Someone upgraded it by hand since the batch was recorded: nothing left to do.
  if (release.versionSort !== null && release.versionSort >= semverSortKey(run.batch.targetVersion)) return { kind: "skip", reason: `already runs ${release.chartVersion}` };
  if (!run.options.ignoreWindows && tenant.maintenanceWindow && !isInsideWindow(tenant.maintenanceWindow, now)) {
    return {
      kind: "skip",
      reason: `outside the maintenance window of tenant ${tenant.slug} (${describeWindow(tenant.maintenanceWindow)}); set ignoreWindows to upgrade anyway`,
      reasonCode: "outside-window",
    };
  }
  const { valuesOverride, valuesStrategy, description, atomic, acknowledgeBreakingChanges, appVersion } = run.options;
  const input = { chartVersion: run.batch.targetVersion, valuesOverride, valuesStrategy, description, atomic, acknowledgeBreakingChanges, appVersion };
  const prepared = prepareUpgradeFrom({ target: { release, tenant }, input, chart: run.chart!, deployed: base, breakingEntries: await run.loadBreaking(tx, release.chartVersion) });
  try {
    // A refusal (failing check, breaking changes not acknowledged) is this item's failure, not the batch's.
    enforceBlockingChecks(prepared, input);
  } catch (e) {
    if (e instanceof DomainError) return { kind: "fail", error: e.message, reasonCode: refusalCode(e) };
    throw e;
  }
  return { kind: "run", planned: prepared.planned, abandon };
}

export type StartResult = { kind: "running"; operation: StartedOperation; batch: BatchRow } | { kind: "settled"; batch: BatchRow };

/**
 * One transaction claims an item and starts it: the release is locked and planned, the
 * pending revision recorded with its lease, the item marked RUNNING, the event appended;
 * or, when the release is skipped or refused, the item settled instead. Two round trips
 * inside the transaction: the locked read, then every write at once.
 *
 * `settling` says whether settling this item now completes the canary. Throws
 * BatchChangeRefused when the batch is no longer this runner's or no longer RUNNING.
 */
export async function startItem(run: BatchRun, item: BatchItemRow, settling: () => boolean): Promise<StartResult> {
  const ctx = batchContext(run);
  const from: BatchItemStatus[] = ["PENDING", "RUNNING"];
  return run.db.transaction(async (tx) => {
    const row = await lockRelease(tx, item);
    const decision = await decide(tx, run, row);
    if (decision.kind !== "run") {
      const settle: Settle =
        decision.kind === "skip"
          ? { outcome: { status: "SKIPPED", revision: null, error: decision.reason, reasonCode: decision.reasonCode }, pauseForCanary: settling() }
          : { outcome: { status: "FAILED", revision: null, error: decision.error, reasonCode: decision.reasonCode }, pauseForCanary: settling() };
      const steps: Statement[] = [];
      if (decision.kind === "skip") {
        // A skipped release gets no revision, so this is its only trace in the tenant's audit log.
        steps.push(() =>
          recordAuditEvent(tx, ctx, {
            action: "batch.item.skipped",
            targetType: "release",
            targetId: item.releaseId,
            releaseId: item.releaseId,
            tenantId: item.tenantId,
            summary: { batchId: item.batchId, reason: decision.reason },
          }),
        );
      }
      const change = settleChange(run, item, settle, from);
      const answers = await pipelined([...steps, () => commitBatchChange(tx, { ...change, guard: and(heldBy(run.runnerId), statusIn("RUNNING")) as SQL })]);
      const batch = answers.at(-1) as BatchRow;
      await reportCanaryPause(tx, run, batch, settle);
      return { kind: "settled", batch };
    }
    const target = { release: row!.release, tenant: row!.tenant };
    const operation = run.batch.kind === "upgrade" ? "upgrade" : "rollback";
    const abandon = decision.abandon ? abandonWrites(tx, ctx, target.release) : [];
    const answers = await pipelined([
      ...abandon,
      ...pendingRevisionWrites(tx, ctx, { target, operation, planned: decision.planned, batchId: item.batchId }),
      () =>
        commitBatchChange(tx, {
          batchId: item.batchId,
          guard: and(heldBy(run.runnerId), statusIn("RUNNING")) as SQL,
          expectItems: 1,
          items: sql`update batch_items set status = 'RUNNING', started_at = now() where ${itemWhere(item, from)} returning *`,
        }),
    ]);
    if (decision.abandon) recordAbandoned(target.release);
    const revision = pendingRevisionOf(target, decision.planned);
    return {
      kind: "running",
      batch: answers.at(-1) as BatchRow,
      operation: { operation, target, revision, batchId: item.batchId, rollbackTo: decision.planned.rollbackTo, startedAt: performance.now() },
    };
  });
}

/**
 * One transaction settles an item after its driver answered: the release's outcome
 * (revisions, release row, audit) and the item's, with its event. If this runner lost the
 * batch meanwhile, the release's outcome is still recorded on its own, and the item is
 * left to the runner that holds the batch now (it reads the outcome from the revision).
 */
export async function settleItem(run: BatchRun, item: BatchItemRow, started: StartedOperation, result: DeployResult, settling: () => boolean): Promise<BatchRow | null> {
  const ctx = batchContext(run);
  const number = started.revision.revision;
  if (!result.ok && run.batch.kind === "upgrade" && run.options.atomic && started.target.release.deployedRevision !== null) {
    return settleAtomicFailure(run, item, started, result, settling);
  }
  try {
    return await run.db.transaction(async (tx) => {
      const [release] = rowsOf<OutcomeRelease>(
        await tx.execute(sql`
          select id, tenant_id as "tenantId", chart_version as "chartVersion", deployed_revision as "deployedRevision", pending_revision as "pendingRevision"
          from ${releases} where id = ${item.releaseId} for update`),
      );
      const holdsLease = release?.pendingRevision === number;
      const outcome: Outcome = !holdsLease
        ? { status: "FAILED", revision: number, error: "abandoned: the operation's lease expired before the deploy driver answered" }
        : result.ok
          ? { status: "UPGRADED", revision: number, error: null }
          : { status: "FAILED", revision: number, error: result.error };
      const settle: Settle = { outcome, pauseForCanary: settling() };
      const answers = await pipelined([
        ...(holdsLease ? outcomeWrites(tx, ctx, started, result, release!) : []),
        () => commitBatchChange(tx, settleChange(run, item, settle, ["RUNNING"])),
      ]);
      const batch = answers.at(-1) as BatchRow;
      await reportCanaryPause(tx, run, batch, settle);
      return { batch, recorded: holdsLease };
    }).then(({ batch, recorded }) => {
      if (recorded) recordOutcome(started, result);
      return batch;
    });
  } catch (e) {
    if (!(e instanceof BatchChangeRefused)) throw e;
    await finishOperation(ctx, started, result);
    return null;
  }
}

/** atomic: the failed upgrade is recorded, the release rolled back to what ran before (a further revision), then the item settles FAILED. */
async function settleAtomicFailure(run: BatchRun, item: BatchItemRow, started: StartedOperation, result: Extract<DeployResult, { ok: false }>, settling: () => boolean): Promise<BatchRow | null> {
  const ctx = batchContext(run);
  const previous = started.target.release.deployedRevision!;
  await finishOperation(ctx, started, result);
  await rollbackRelease({
    ctx,
    input: { releaseId: item.releaseId, revision: previous, description: `Rollback to ${previous} (atomic upgrade to ${run.batch.targetVersion} failed)` },
    batchId: item.batchId,
  }).catch((e) => {
    if (!(e instanceof DomainError)) throw e;
    log.warn({ batchId: item.batchId, releaseId: item.releaseId, reason: e.message }, "atomic rollback refused");
  });
  try {
    return await settleItemOnly(run, item, { outcome: { status: "FAILED", revision: started.revision.revision, error: result.error }, pauseForCanary: settling() });
  } catch (e) {
    if (e instanceof BatchChangeRefused) return null;
    throw e;
  }
}

/** The items a dead runner left RUNNING, to reconcile before anything new starts. */
export async function itemsLeftRunning(db: Database, batchId: string): Promise<BatchItemRow[]> {
  return db
    .select()
    .from(batchItems)
    .where(and(eq(batchItems.batchId, batchId), inArray(batchItems.status, ["RUNNING"])))
    .orderBy(batchItems.position);
}
