import { and, eq, inArray, sql } from "drizzle-orm";
import type { BatchItemStatus, BatchOptions, BatchReasonCode } from "@/contracts/batches";
import type { ChartChange } from "@/contracts/common";
import type { Actor } from "@/server/auth/actor";
import type { Database, DbOrTx, Transaction } from "@/server/db/client";
import { pipelined } from "@/server/db/pipeline";
import { rowFromJson, rowsOf } from "@/server/db/raw";
import { batchItems, releases, revisions, tenants } from "@/server/db/schema";
import type { DeployDriver, DeployResult } from "@/server/deploy/driver";
import { log } from "@/server/observability/log";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { ChartVersionRow } from "../charts/chart-version-view";
import type { DomainContext } from "../context";
import { DomainError } from "../errors";
import type { PlannedRevision, StartedOperation } from "../releases/release-operation";
import { finishOperation, leaseExpired } from "../releases/release-operation";
import { enforceBlockingChecks, prepareUpgradeFrom, refusalCode } from "../releases/prepare-upgrade";
import { rollbackRelease } from "../releases/rollback-release";
import { describeWindow, isInsideWindow } from "../tenants/maintenance-window";
import { semverSortKey } from "../versions/semver";
import type { ReleaseRow, RevisionRow } from "../releases/views";
import type { TenantRow } from "../tenants/tenant-view";
import { emitBatchEvent } from "../webhooks/emit-batch-event";
import type { BatchItemRow, BatchRow } from "./batch-view";
import { BatchChangeRefused, commitBatchChange, heldBy } from "./record-batch-event";

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

/** One row of a multi-item change: `from_pending` lets a start (or a refusal at start) move a PENDING item; a settle after the driver moves only a RUNNING one. */
export interface ItemChange {
  position: number;
  status: "RUNNING" | Outcome["status"];
  revision: number | null;
  error: string | null;
  reason_code: BatchReasonCode | null;
  from_pending: boolean;
}

/**
 * Moves items of one batch, each to its own status, in the change that appends their events.
 * The position array keeps it an index scan: the planner cannot see how few rows the record
 * set holds.
 */
export const itemsChange = (batchId: string, changes: ItemChange[]) => sql`
  update batch_items b set status = x.status,
    revision = case when x.status = 'RUNNING' then b.revision else x.revision end,
    error = case when x.status = 'RUNNING' then b.error else x.error end,
    reason_code = case when x.status = 'RUNNING' then b.reason_code else x.reason_code end,
    started_at = case when x.status = 'RUNNING' then now() else b.started_at end,
    finished_at = case when x.status = 'RUNNING' then b.finished_at else now() end
  from json_to_recordset(${JSON.stringify(changes)}::json) as x(position int, status text, revision int, error text, reason_code text, from_pending boolean)
  where b.batch_id = ${batchId} and b.position = any(${`{${changes.map((c) => c.position).join(",")}}`}::int[]) and b.position = x.position and (b.status = 'RUNNING' or (x.from_pending and b.status = 'PENDING'))
  returning b.*`;

/** The part of a batch change that pauses the batch once its canary has settled (unless a person paused or cancelled it first). */
export const pauseForCanary = { set: { status: sql`case when batches.status = 'RUNNING' then 'PAUSED' else batches.status end` }, batchEvent: true };

/**
 * The canary count after `item` settles: one less when it is a canary item still counted.
 * `completes` says this settle is the one that pauses the batch.
 */
export function canaryAfterSettle(canary: number | undefined, item: BatchItemRow, left: number): { left: number; completes: boolean } {
  if (canary === undefined || item.position >= canary || left === 0) return { left, completes: false };
  return { left: left - 1, completes: left === 1 };
}

/**
 * After a change that paused the batch for its canary: the audit and webhook events of that
 * pause. Only the settle that completed the canary reports it; an item settling later in a
 * batch paused by a person does not.
 */
export async function reportCanaryPause(tx: Transaction, run: BatchRun, batch: BatchRow, pausedForCanary: boolean): Promise<void> {
  if (!pausedForCanary || batch.status !== "PAUSED") return;
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
    const { outcome } = settle;
    const batch = await commitBatchChange(tx, {
      batchId: item.batchId,
      guard: heldBy(run.runnerId),
      expectItems: 1,
      items: itemsChange(item.batchId, [
        { position: item.position, status: outcome.status, revision: outcome.revision, error: outcome.error, reason_code: outcome.reasonCode ?? null, from_pending: true },
      ]),
      ...(settle.pauseForCanary ? pauseForCanary : {}),
    });
    await reportCanaryPause(tx, run, batch, settle.pauseForCanary);
    return batch;
  });
}

type Decision =
  | { kind: "run"; planned: PlannedRevision; abandon: boolean }
  | { kind: "skip"; reason: string; reasonCode?: BatchReasonCode }
  | { kind: "fail"; error: string; reasonCode?: BatchReasonCode };

/** A release as a step plans from it; `version` changes with every write to the release or its tenant (their xmin). */
export type LockedRelease = { release: ReleaseRow; tenant: TenantRow; base: RevisionRow | null; now: Date; version: string };

/**
 * The releases of these items, each with its tenant and the revision a plan starts from,
 * locked (in id order, as every multi-release lock here, so that two never deadlock), with
 * the database's clock: one round trip for a whole step. row_to_json, not to_jsonb: values
 * are json and keep their key order. Raw SQL: this runs for every step of a batch, and
 * building the three-table select through the query builder costs more than running it.
 */
export const lockReleases = (tx: Transaction, items: BatchItemRow[]) => () => tx.execute(releasesRead(items, true));

/**
 * The same rows read without a lock, as a statement to send with a step's writes: the next
 * step plans its starts from them, and locks them only in the statement that checks they are
 * unchanged (staleReleasesGuard), in the same round trip as its writes.
 */
export const prefetchReleases = (tx: Transaction, items: BatchItemRow[]) => () => tx.execute(releasesRead(items, false));

export function lockedReleasesOf(result: unknown): Map<string, LockedRelease> {
  const rows = rowsOf<{ release: Record<string, unknown>; tenant: Record<string, unknown>; base: Record<string, unknown> | null; now: string | Date; version: string }>(result);
  const locked = new Map<string, LockedRelease>();
  for (const row of rows) {
    const release = rowFromJson(releases, row.release)!;
    locked.set(release.id, { release, tenant: rowFromJson(tenants, row.tenant)!, base: rowFromJson(revisions, row.base), now: new Date(row.now), version: row.version });
  }
  return locked;
}

function releasesRead(items: BatchItemRow[], lock: boolean) {
  // An id array (not a joined record set, whose size the planner cannot see) keeps this an index scan at any fleet size.
  const ids = `{${items.map((item) => item.releaseId).join(",")}}`;
  const targets = JSON.stringify(Object.fromEntries(items.filter((item) => item.targetRevision !== null).map((item) => [item.releaseId, item.targetRevision])));
  return sql`
      select row_to_json(r) as release, row_to_json(t) as tenant, row_to_json(v) as base, now() as now, r.xmin::text || ':' || t.xmin::text as version
      from ${releases} r
      join ${tenants} t on t.id = r.tenant_id
      left join ${revisions} v on v.release_id = r.id and v.revision = coalesce((${targets}::json ->> r.id::text)::int, r.deployed_revision)
      where r.id = any(${ids}::uuid[])
      order by r.id
      ${lock ? sql`for update of r` : sql``}`;
}

/**
 * Locks the releases of a step planned from prefetched rows, and fails in SQL (aborting the
 * step, which is then made again from a locked read) unless each is as the plan saw it: a
 * release to start unchanged since it was read (its version), a release to settle still
 * leased to the operation being settled.
 */
export function staleReleasesGuard(tx: Transaction, batchId: string, expected: Array<{ id: string; version: string | null; pending: number | null }>) {
  const ids = `{${expected.map((e) => e.id).join(",")}}`;
  return () =>
    tx.execute(sql`
      select case when count(*) = ${expected.length} then true else helmdeck_refuse_batch_change(${batchId}::uuid) end as fresh
      from (
        select r.id from ${releases} r
        join ${tenants} t on t.id = r.tenant_id
        join json_to_recordset(${JSON.stringify(expected)}::json) as x(id uuid, version text, pending int) on x.id = r.id
        where r.id = any(${ids}::uuid[])
          and case when x.version is not null then r.xmin::text || ':' || t.xmin::text = x.version else r.pending_revision = x.pending end
        order by r.id
        for update of r
      ) fresh`);
}

export async function decide(tx: Transaction, run: BatchRun, row: LockedRelease | undefined): Promise<Decision> {
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

/** atomic: the failed upgrade is recorded, the release rolled back to what ran before (a further revision), then the item settles FAILED. */
export async function settleAtomicFailure(run: BatchRun, item: BatchItemRow, started: StartedOperation, result: Extract<DeployResult, { ok: false }>, settling: () => boolean): Promise<BatchRow | null> {
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
