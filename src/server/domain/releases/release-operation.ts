import { and, eq, isNotNull, lt, sql } from "drizzle-orm";
import type { JsonObject } from "@/contracts/common";
import type { Operation, ReleaseStatus, ReleaseWithRevision } from "@/contracts/releases";
import { env } from "@/env";
import { systemActor } from "@/server/auth/actor";
import type { Transaction } from "@/server/db/client";
import { releases, revisions, tenants } from "@/server/db/schema";
import { configuredDriver, type DeployResult } from "@/server/deploy";
import { log } from "@/server/observability/log";
import { recordReleaseOperation } from "@/server/observability/metrics";
import { requireReleaseWriter } from "../access/rules";
import { recordAuditEvent } from "../audit/record-audit-event";
import { loadTenantRequests } from "../capacity/load-tenant-requests";
import type { DomainContext } from "../context";
import { DomainError } from "../errors";
import { semverSortKey } from "../versions/semver";
import { findVisibleRelease, type ReleaseWithTenant } from "./find-release";
import { releaseColumns, toReleaseView, toRevisionView, type RevisionRow } from "./views";

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

export interface StartedOperation {
  operation: Operation;
  target: ReleaseWithTenant;
  revision: RevisionRow;
  batchId: string | null;
  rollbackTo?: number;
  /** performance.now() when the pending revision was recorded, for the duration metric. */
  startedAt: number;
}

/** When a pending operation started now stops holding its release (database time: instances may disagree). */
export const leaseExpiry = () => sql`now() + make_interval(secs => ${env().HELMDECK_OPERATION_LEASE_SECONDS})`;

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
    const error = `abandoned: the operation's lease expired at ${stale.leaseExpiresAt?.toISOString()} before it reported a result`;
    const [abandoned] = await tx
      .update(revisions)
      .set({ status: "FAILED", error, finishedAt: sql`now()` })
      .where(and(eq(revisions.releaseId, stale.id), eq(revisions.revision, stale.pendingRevision)))
      .returning({ operation: revisions.operation });
    await tx
      .update(releases)
      .set({ status: "FAILED", pendingRevision: null, leaseExpiresAt: null, updatedAt: sql`now()` })
      .where(eq(releases.id, stale.id));
    await recordAuditEvent(tx, { actor: systemActor("system:lease-expiry"), requestId: ctx.requestId }, {
      action: "release.operation.abandoned",
      targetType: "release",
      targetId: stale.id,
      tenantId: stale.tenantId,
      releaseId: stale.id,
      revision: stale.pendingRevision,
      summary: { error },
    });
    if (abandoned) recordReleaseOperation(abandoned.operation, "abandoned");
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
    const number = release.latestRevision + 1;
    const [revision] = await tx
      .insert(revisions)
      .values({
        releaseId: release.id,
        revision: number,
        chartVersion: planned.chartVersion,
        appVersion: planned.appVersion,
        valuesOverride: planned.valuesOverride,
        userValues: planned.userValues,
        values: planned.values,
        status: PENDING_STATUS[args.operation],
        operation: args.operation,
        description: planned.description,
        actor: ctx.actor.name,
        batchId: args.batchId ?? null,
        startedAt: sql`now()`,
      })
      .returning();
    await tx
      .update(releases)
      .set({ status: PENDING_STATUS[args.operation], latestRevision: number, pendingRevision: number, leaseExpiresAt: leaseExpiry(), updatedAt: sql`now()` })
      .where(eq(releases.id, release.id));
    await recordAuditEvent(tx, ctx, {
      action: `release.${args.operation}.start`,
      targetType: "release",
      targetId: release.id,
      tenantId: release.tenantId,
      releaseId: release.id,
      revision: number,
      summary: { from: release.chartVersion, to: planned.chartVersion, description: planned.description, batchId: args.batchId ?? null },
    });
    return { operation: args.operation, target, revision: revision!, batchId: args.batchId ?? null, rollbackTo: planned.rollbackTo, startedAt: performance.now() };
  });
}

/**
 * Phase two: the driver applies the revision. A failure the driver reports (helm's stderr,
 * the simulated quota) is the revision's error as it is; an exception becomes a FAILED
 * revision too, not a 500, but tenant users read only that the driver failed internally and
 * the request id: its message may be a database error's SQL. The log keeps the details.
 */
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
  const number = started.revision.revision;
  const applied = await ctx.db.transaction(async (tx) => {
    const [release] = await tx.select().from(releases).where(eq(releases.id, releaseId)).for("update");
    if (!release || release.pendingRevision !== number) return false;
    if (result.ok) {
      if (release.deployedRevision !== null) {
        await tx
          .update(revisions)
          .set({ status: "SUPERSEDED" })
          .where(and(eq(revisions.releaseId, releaseId), eq(revisions.revision, release.deployedRevision)));
      }
      await tx
        .update(revisions)
        .set({ status: "DEPLOYED", finishedAt: sql`now()` })
        .where(and(eq(revisions.releaseId, releaseId), eq(revisions.revision, number)));
      await tx
        .update(releases)
        .set({
          status: "DEPLOYED",
          deployedRevision: number,
          chartVersion: started.revision.chartVersion,
          versionSort: semverSortKey(started.revision.chartVersion),
          appVersion: started.revision.appVersion,
          pendingRevision: null,
          leaseExpiresAt: null,
          updatedAt: sql`now()`,
        })
        .where(eq(releases.id, releaseId));
    } else {
      await tx
        .update(revisions)
        .set({ status: "FAILED", error: result.error, finishedAt: sql`now()` })
        .where(and(eq(revisions.releaseId, releaseId), eq(revisions.revision, number)));
      await tx
        .update(releases)
        .set({ status: "FAILED", pendingRevision: null, leaseExpiresAt: null, updatedAt: sql`now()` })
        .where(eq(releases.id, releaseId));
    }
    await recordAuditEvent(tx, ctx, {
      action: `release.${started.operation}.${result.ok ? "succeeded" : "failed"}`,
      targetType: "release",
      targetId: releaseId,
      tenantId: release.tenantId,
      releaseId,
      revision: number,
      summary: {
        from: release.chartVersion,
        to: started.revision.chartVersion,
        status: result.ok ? "DEPLOYED" : "FAILED",
        ...(result.ok ? {} : { error: result.error }),
        batchId: started.batchId,
      },
    });
    return true;
  });
  // A late result the lease sweep already settled was counted there, as abandoned.
  if (applied) recordReleaseOperation(started.operation, result.ok ? "succeeded" : "failed", (performance.now() - started.startedAt) / 1000);
  return loadReleaseWithRevision(ctx, releaseId, number);
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
