import { and, eq, isNotNull, lt, sql } from "drizzle-orm";
import type { JsonObject } from "@/contracts/common";
import type { Operation, ReleaseStatus, ReleaseWithRevision } from "@/contracts/releases";
import { env } from "@/env";
import { systemActor } from "@/server/auth/actor";
import type { DbOrTx, Transaction } from "@/server/db/client";
import { pipelined, type Statement } from "@/server/db/pipeline";
import { releases, revisions, tenants } from "@/server/db/schema";
import { configuredDriver, type DeployResult } from "@/server/deploy";
import { log } from "@/server/observability/log";
import { recordReleaseOperation } from "@/server/observability/metrics";
import { requireReleaseWriter } from "../access/rules";
import { recordAuditEvent, recordAuditEvents, type AuditContext, type AuditEntry } from "../audit/record-audit-event";
import { loadTenantRequests } from "../capacity/load-tenant-requests";
import type { DomainContext } from "../context";
import { DomainError } from "../errors";
import { semverSortKey } from "../versions/semver";
import { emitWebhookEvents, type WebhookEvent } from "../webhooks/emit-webhook-event";
import { releaseWebhookEvent } from "../webhooks/release-event";
import { findVisibleRelease, type ReleaseWithTenant } from "./find-release";
import { releaseColumns, toReleaseView, toRevisionView, type ReleaseRow, type RevisionRow } from "./views";

/** The revision an operation will record, computed while the release is locked. */
export interface PlannedRevision {
  chartVersion: string;
  appVersion: string;
  valuesOverride: JsonObject;
  userValues: JsonObject;
  values: JsonObject;
  description: string;
  rollbackTo?: number;
}

const PENDING_STATUS: Record<Operation, ReleaseStatus> = {
  install: "PENDING_INSTALL",
  upgrade: "PENDING_UPGRADE",
  rollback: "PENDING_ROLLBACK",
};

/** What the rest of an operation needs of its pending revision (known without reading it back). */
export type PendingRevision = Pick<RevisionRow, "revision" | "chartVersion" | "appVersion" | "values" | "description">;

export interface StartedOperation {
  operation: Operation;
  target: ReleaseWithTenant;
  revision: PendingRevision;
  batchId: string | null;
  rollbackTo?: number;
  /** performance.now() when the pending revision was recorded, for the duration metric. */
  startedAt: number;
}

/** When a pending operation started now stops holding its release (database time: instances may disagree). */
export const leaseExpiry = () => sql`now() + make_interval(secs => ${env().HELMDECK_OPERATION_LEASE_SECONDS})`;

/**
 * The writes that mark an expired pending operation FAILED, so that the release can move
 * again; `stale` is its locked release row.
 */
export function abandonWrites(tx: Transaction, ctx: Pick<DomainContext, "requestId">, stale: ReleaseRow): Statement[] {
  const error = `abandoned: the operation's lease expired at ${stale.leaseExpiresAt?.toISOString()} before it reported a result`;
  return [
    () => tx
      .update(revisions)
      .set({ status: "FAILED", error, finishedAt: sql`now()` })
      .where(and(eq(revisions.releaseId, stale.id), eq(revisions.revision, stale.pendingRevision!))),
    () => tx.update(releases).set({ status: "FAILED", pendingRevision: null, leaseExpiresAt: null, updatedAt: sql`now()` }).where(eq(releases.id, stale.id)),
    () => recordAuditEvent(tx, { actor: systemActor("system:lease-expiry"), requestId: ctx.requestId }, {
      action: "release.operation.abandoned",
      targetType: "release",
      targetId: stale.id,
      tenantId: stale.tenantId,
      releaseId: stale.id,
      revision: stale.pendingRevision,
      summary: { error },
    }),
  ];
}

/** The metric of an abandoned operation; the release's pending revision tells which operation it was only by its status. */
export function recordAbandoned(stale: ReleaseRow): void {
  const operation: Operation = stale.status === "PENDING_INSTALL" ? "install" : stale.status === "PENDING_ROLLBACK" ? "rollback" : "upgrade";
  recordReleaseOperation(operation, "abandoned");
}

/** Whether a locked release holds a pending operation whose lease has run out (database time). */
export const leaseExpired = (release: ReleaseRow, now: Date) => release.pendingRevision !== null && release.leaseExpiresAt !== null && release.leaseExpiresAt < now;

/**
 * Marks a pending operation whose lease has expired as FAILED, so that the release can
 * move again. Its own short transaction: the reclaim stands even if what follows fails.
 */
export async function reclaimAbandonedOperation(ctx: DomainContext, releaseId: string): Promise<boolean> {
  return ctx.db.transaction(async (tx) => {
    const [stale] = await tx
      .select()
      .from(releases)
      .where(and(eq(releases.id, releaseId), isNotNull(releases.pendingRevision), lt(releases.leaseExpiresAt, sql`now()`)))
      .for("update");
    if (!stale || stale.pendingRevision === null) return false;
    await pipelined(abandonWrites(tx, ctx, stale));
    recordAbandoned(stale);
    return true;
  });
}

function inProgressError(release: ReleaseWithTenant["release"], pending: RevisionRow | undefined): DomainError {
  const operation = pending?.operation ?? "operation";
  const since = pending?.startedAt.toISOString() ?? "unknown";
  return new DomainError(
    "OPERATION_IN_PROGRESS",
    `another operation (${operation}, revision ${release.pendingRevision}) is in progress on release ${release.name} since ${since}`,
    { extensions: { operation, revision: release.pendingRevision, since, leaseExpiresAt: release.leaseExpiresAt?.toISOString() } },
  );
}

/**
 * Phase one: lock the release, refuse if another operation holds it, plan the revision and
 * commit it as pending with a lease. Committed before any driver runs, so that a crash
 * leaves a visible pending operation that its lease resolves.
 */
export async function beginOperation(
  ctx: DomainContext,
  args: { releaseId: string; operation: Operation; batchId?: string | null; plan: (tx: Transaction, target: ReleaseWithTenant) => Promise<PlannedRevision> },
): Promise<StartedOperation> {
  // Who may act is settled before anything is written: another tenant's release is not
  // found (404) and a viewer is refused (403) without even reclaiming an expired lease.
  await findVisibleRelease(ctx.db, ctx.actor, args.releaseId);
  requireReleaseWriter(ctx.actor, `${args.operation} releases`);
  await reclaimAbandonedOperation(ctx, args.releaseId);
  return ctx.db.transaction(async (tx) => {
    const target = await findVisibleRelease(tx, ctx.actor, args.releaseId, { lock: true });
    requireReleaseWriter(ctx.actor, `${args.operation} releases`);
    const { release } = target;
    if (release.pendingRevision !== null) {
      const [pending] = await tx
        .select()
        .from(revisions)
        .where(and(eq(revisions.releaseId, release.id), eq(revisions.revision, release.pendingRevision)));
      throw inProgressError(release, pending);
    }
    const planned = await args.plan(tx, target);
    await pipelined(operationStatements(tx, ctx, [pendingRevisionWrites(tx, ctx, [{ target, operation: args.operation, planned, batchId: args.batchId ?? null }])]));
    return { operation: args.operation, target, revision: pendingRevisionOf(target, planned), batchId: args.batchId ?? null, rollbackTo: planned.rollbackTo, startedAt: performance.now() };
  });
}

/**
 * What recording several operations' changes takes: one statement for the releases and
 * revisions, plus the audit entries and webhook events the caller sends with its own (a
 * batch step sends one audit and one webhook statement for all its releases).
 */
export interface OperationWrites {
  /** In order; none when there is only audit to write (a batch item skipped). */
  statements: Statement[];
  audit: AuditEntry[];
  webhooks: WebhookEvent[];
}

/** The statements of these writes, in order: releases and revisions first, then one audit insert and one webhook insert for all. */
export function operationStatements(tx: DbOrTx, ctx: AuditContext, writes: OperationWrites[]): Statement[] {
  const audit = writes.flatMap((w) => w.audit);
  const webhooks = writes.flatMap((w) => w.webhooks);
  return [
    ...writes.flatMap((w) => w.statements),
    ...(audit.length > 0 ? [() => recordAuditEvents(tx, ctx, audit)] : []),
    ...(webhooks.length > 0 ? [() => emitWebhookEvents(tx, webhooks)] : []),
  ];
}

/** An id array for `= any(…)`: the planner cannot see how few rows a JSON record set holds, so the id list keeps every join an index lookup. */
const idArray = (ids: string[]) => `{${ids.join(",")}}`;

export interface PendingOperation {
  target: ReleaseWithTenant;
  operation: Operation;
  planned: PlannedRevision;
  batchId: string | null;
}

/**
 * The writes that record operations as pending on their locked releases: each revision, each
 * release's lease, in one statement, and their audit entries.
 */
export function pendingRevisionWrites(tx: DbOrTx, ctx: Pick<DomainContext, "actor">, pending: PendingOperation[]): OperationWrites {
  const rows = pending.map(({ target: { release }, operation, planned, batchId }) => ({
    release_id: release.id,
    revision: release.latestRevision + 1,
    chart_version: planned.chartVersion,
    app_version: planned.appVersion,
    values_override: planned.valuesOverride,
    user_values: planned.userValues,
    values: planned.values,
    status: PENDING_STATUS[operation],
    operation,
    description: planned.description,
    batch_id: batchId,
  }));
  // json, not jsonb, in the record set: values keep their key order. Raw SQL: a batch runs this for every step.
  const statement = () =>
    tx.execute(sql`
      with inserted as (
        insert into ${revisions} (release_id, revision, chart_version, app_version, values_override, user_values, values, status, operation, description, actor, batch_id, started_at)
        select release_id, revision, chart_version, app_version, values_override, user_values, values, status, operation, description, ${ctx.actor.name}, batch_id, now()
        from json_to_recordset(${JSON.stringify(rows)}::json) as x(release_id uuid, revision int, chart_version text, app_version text,
          values_override json, user_values json, values json, status text, operation text, description text, batch_id uuid)
        returning release_id, revision, status
      )
      update ${releases} r set status = i.status, latest_revision = i.revision, pending_revision = i.revision, lease_expires_at = ${leaseExpiry()}, updated_at = now()
      from inserted i where r.id = any(${idArray(rows.map((r) => r.release_id))}::uuid[]) and r.id = i.release_id`);
  const audit = pending.map(({ target: { release }, operation, planned, batchId }): AuditEntry => ({
    action: `release.${operation}.start`,
    targetType: "release",
    targetId: release.id,
    tenantId: release.tenantId,
    releaseId: release.id,
    revision: release.latestRevision + 1,
    summary: { from: release.chartVersion, to: planned.chartVersion, description: planned.description, batchId },
  }));
  return { statements: [statement], audit, webhooks: [] };
}

export const pendingRevisionOf = (target: ReleaseWithTenant, planned: PlannedRevision): PendingRevision => ({
  revision: target.release.latestRevision + 1,
  chartVersion: planned.chartVersion,
  appVersion: planned.appVersion,
  values: planned.values,
  description: planned.description,
});

/** Phase two: the driver applies the revision. Exceptions become a FAILED revision, not a 500. */
export async function applyOperation(ctx: DomainContext, started: StartedOperation): Promise<DeployResult> {
  const driver = ctx.driver ?? configuredDriver();
  const { release, tenant } = started.target;
  try {
    return await driver.apply({
      operation: started.operation,
      tenant: { id: tenant.id, slug: tenant.slug, environment: tenant.environment, quota: tenant.quota ?? null, kubeContext: tenant.kubeContext },
      release: { id: release.id, name: release.name, namespace: release.namespace, chartName: release.chartName },
      revision: started.revision.revision,
      chartVersion: started.revision.chartVersion,
      appVersion: started.revision.appVersion,
      values: started.revision.values,
      description: started.revision.description,
      rollbackTo: started.rollbackTo,
      loadOtherRequests: () => loadTenantRequests(ctx.db, tenant.id, release.id),
    });
  } catch (err) {
    // A driver reports failures as results; an exception is a bug or an outage whose text
    // (SQL, stack) must not reach the revision that tenants read: it goes to the log.
    log.error({ err, releaseId: release.id, revision: started.revision.revision, driver: driver.name }, "deploy driver failed");
    return { ok: false, error: `deploy driver ${driver.name} failed: internal error (request ${ctx.requestId ?? "none"})` };
  }
}

/**
 * Phase three: record the outcome. Success supersedes the previously deployed revision;
 * failure leaves it DEPLOYED, since it is still what runs. If the lease was lost meanwhile
 * (the operation was reclaimed as abandoned) the late result is not applied.
 */
export async function finishOperation(ctx: DomainContext, started: StartedOperation, result: DeployResult): Promise<ReleaseWithRevision> {
  const releaseId = started.target.release.id;
  const applied = await ctx.db.transaction(async (tx) => {
    const [release] = await tx.select(outcomeColumns).from(releases).where(eq(releases.id, releaseId)).for("update");
    if (!release || release.pendingRevision !== started.revision.revision) return false;
    await pipelined(operationStatements(tx, ctx, [outcomeWrites(tx, [{ started, result, release }])]));
    return true;
  });
  // A late result the lease sweep already settled was counted there, as abandoned.
  if (applied) recordOutcome(started, result);
  return loadReleaseWithRevision(ctx, releaseId, started.revision.revision);
}

/** The operation metric of an outcome that was recorded. */
export const recordOutcome = (started: Pick<StartedOperation, "operation" | "startedAt">, result: DeployResult) =>
  recordReleaseOperation(started.operation, result.ok ? "succeeded" : "failed", (performance.now() - started.startedAt) / 1000);

/** What recording an outcome reads of the locked release. */
export const outcomeColumns = {
  id: releases.id,
  tenantId: releases.tenantId,
  chartVersion: releases.chartVersion,
  deployedRevision: releases.deployedRevision,
  pendingRevision: releases.pendingRevision,
};
export type OutcomeRelease = { [K in keyof typeof outcomeColumns]: ReleaseRow[K] };

export interface RecordedOutcome {
  started: Pick<StartedOperation, "operation" | "revision" | "batchId" | "target">;
  result: DeployResult;
  /** The locked release, whose lease the operation still holds. */
  release: OutcomeRelease;
}

/**
 * The writes that record operations' outcomes on their locked releases, in one statement,
 * with their audit entries and webhook events. Success supersedes the previously deployed
 * revision; failure leaves it DEPLOYED, since it is still what runs.
 */
export function outcomeWrites(tx: DbOrTx, outcomes: RecordedOutcome[]): OperationWrites {
  const rows = outcomes.map(({ started, result, release }) => ({
    release_id: release.id,
    revision: started.revision.revision,
    ok: result.ok,
    previous: release.deployedRevision,
    error: result.ok ? null : result.error,
    chart_version: started.revision.chartVersion,
    version_sort: semverSortKey(started.revision.chartVersion),
    app_version: started.revision.appVersion,
  }));
  const ids = idArray(rows.map((r) => r.release_id));
  const json = JSON.stringify(rows);
  const recordSet = sql`json_to_recordset(${json}::json) as x(release_id uuid, revision int, ok boolean, previous int, error text, chart_version text, version_sort text, app_version text)`;
  // Superseding first, in a statement of its own: a release has one DEPLOYED revision (a
  // unique index checked row by row), so the new one may become DEPLOYED only after.
  // Raw SQL: a batch runs these for every step.
  const supersede = () =>
    tx.execute(sql`
      update ${revisions} v set status = 'SUPERSEDED'
      from ${recordSet} where v.release_id = any(${ids}::uuid[]) and v.release_id = x.release_id and x.ok and v.revision = x.previous`);
  const statement = () =>
    tx.execute(sql`
      with x as (select * from ${recordSet}),
      finished as (
        update ${revisions} v set status = case when x.ok then 'DEPLOYED' else 'FAILED' end, error = case when x.ok then v.error else x.error end, finished_at = now()
        from x where v.release_id = any(${ids}::uuid[]) and v.release_id = x.release_id and v.revision = x.revision
      )
      update ${releases} r set
        status = case when x.ok then 'DEPLOYED' else 'FAILED' end,
        deployed_revision = case when x.ok then x.revision else r.deployed_revision end,
        chart_version = case when x.ok then x.chart_version else r.chart_version end,
        version_sort = case when x.ok then x.version_sort else r.version_sort end,
        app_version = case when x.ok then x.app_version else r.app_version end,
        pending_revision = null, lease_expires_at = null, updated_at = now()
      from x where r.id = any(${ids}::uuid[]) and r.id = x.release_id`);
  const audit = outcomes.map(({ started, result, release }): AuditEntry => ({
    action: `release.${started.operation}.${result.ok ? "succeeded" : "failed"}`,
    targetType: "release",
    targetId: release.id,
    tenantId: release.tenantId,
    releaseId: release.id,
    revision: started.revision.revision,
    summary: {
      from: release.chartVersion,
      to: started.revision.chartVersion,
      status: result.ok ? "DEPLOYED" : "FAILED",
      ...(result.ok ? {} : { error: result.error }),
      batchId: started.batchId,
    },
  }));
  const webhooks = outcomes.flatMap(({ started, result, release }) => {
    const event = releaseWebhookEvent({
      operation: started.operation,
      ok: result.ok,
      release: { ...started.target.release, tenantId: release.tenantId },
      tenantSlug: started.target.tenant.slug,
      fromVersion: release.chartVersion,
      toVersion: started.revision.chartVersion,
      revision: started.revision.revision,
      batchId: started.batchId,
    });
    return event ? [event] : [];
  });
  return { statements: rows.some((r) => r.ok && r.previous !== null) ? [supersede, statement] : [statement], audit, webhooks };
}

export async function loadReleaseWithRevision(ctx: DomainContext, releaseId: string, revisionNumber: number): Promise<ReleaseWithRevision> {
  const [row] = await ctx.db.select(releaseColumns).from(releases).innerJoin(tenants, eq(tenants.id, releases.tenantId)).where(eq(releases.id, releaseId));
  const [revision] = await ctx.db
    .select()
    .from(revisions)
    .where(and(eq(revisions.releaseId, releaseId), eq(revisions.revision, revisionNumber)));
  return { release: toReleaseView(row!), revision: toRevisionView(revision!) };
}

/** All three phases: what install, upgrade and rollback run. */
export async function runOperation(ctx: DomainContext, args: Parameters<typeof beginOperation>[1]): Promise<ReleaseWithRevision> {
  const started = await beginOperation(ctx, args);
  const result = await applyOperation(ctx, started);
  return finishOperation(ctx, started, result);
}
