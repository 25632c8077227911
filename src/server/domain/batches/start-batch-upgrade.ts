import { and, sql, type SQL } from "drizzle-orm";
import type { BatchOptions, BatchUpgradeInput } from "@/contracts/batches";
import { batches, releases, tenants } from "@/server/db/schema";
import { requirePlatformAdmin } from "../access/rules";
import { recordAuditEvent } from "../audit/record-audit-event";
import { findChartVersion } from "../charts/list-chart-versions";
import type { DomainContext } from "../context";
import { DomainError } from "../errors";
import { needsUpgradeConditions } from "../fleet/find-releases-needing-upgrade";
import { findVisibleTenant } from "../tenants/list-tenants";
import { leaseExpiry } from "./batch-lease";
import type { BatchRow } from "./batch-view";
import { commitBatchChange } from "./record-batch-event";

export function batchOptionsOf(input: BatchUpgradeInput): BatchOptions {
  const { chartName: _c, targetVersion: _t, async: _a, dryRun: _d, limit: _l, cursor: _k, ...options } = input;
  return options;
}

/** The target must be a published version of the chart, and a named tenant must exist: 422 otherwise. */
export async function validateBatchTarget(ctx: DomainContext, input: Pick<BatchUpgradeInput, "chartName" | "targetVersion" | "tenant">): Promise<void> {
  requirePlatformAdmin(ctx.actor, "run batch upgrades");
  if (!(await findChartVersion(ctx.db, input.chartName, input.targetVersion))) {
    throw new DomainError("VALIDATION_FAILED", `chart ${input.chartName} has no published version ${input.targetVersion}`, {
      errors: [{ path: "targetVersion", message: `not a published version of chart ${input.chartName}` }],
    });
  }
  if (input.tenant && !(await findVisibleTenant(ctx.db, ctx.actor, input.tenant))) {
    throw new DomainError("VALIDATION_FAILED", `no tenant ${input.tenant}`, { errors: [{ path: "tenant", message: "no such tenant" }] });
  }
}

/** The environment wave of a tenant, as SQL: development 0, staging 1, production 2. */
export const waveOf = (environment: unknown) => sql`(case ${environment} when 'development' then 0 when 'staging' then 1 else 2 end)::smallint`;

/**
 * Records a batch (QUEUED) with one item per release that needs the upgrade, in rollout
 * order. The items are copied by one INSERT … SELECT over the needs-upgrade query, so a
 * fleet of 100k releases never passes through JavaScript. `claimFor` records the batch as
 * already claimed by that runner (a synchronous request that runs it), so that no other
 * runner takes it up first. `policy` narrows the releases to those a policy selected and
 * records the batch as that policy's.
 */
export async function startBatchUpgrade({
  ctx,
  input,
  claimFor,
  policy,
}: {
  ctx: DomainContext;
  input: BatchUpgradeInput;
  claimFor?: string;
  policy?: { id: string; conditions: SQL[] };
}): Promise<BatchRow> {
  await validateBatchTarget(ctx, input);
  const needed = await needsUpgradeConditions(ctx.db, ctx.actor, { chartName: input.chartName, targetVersion: input.targetVersion, tenant: input.tenant });
  const conditions = needed && policy ? [...needed, ...policy.conditions] : needed;
  return ctx.db.transaction(async (tx) => {
    const [batch] = await tx
      .insert(batches)
      .values({
        kind: "upgrade",
        chartName: input.chartName,
        targetVersion: input.targetVersion,
        status: "QUEUED",
        options: { ...batchOptionsOf(input), concurrency: input.concurrency },
        tenantId: ctx.actor.tenantId,
        createdBy: ctx.actor.name,
        policyId: policy?.id ?? null,
        ...(claimFor ? { runnerId: claimFor, runnerLeaseExpiresAt: leaseExpiry() } : {}),
      })
      .returning();
    const rollout = sql`row_number() over (order by ${releases.rolloutKey}, ${releases.id})`;
    const inTenant = sql`row_number() over (partition by ${releases.tenantId} order by ${releases.rolloutKey}, ${releases.id})`;
    const selected = tx
      .select({
        batchId: sql`${batch!.id}::uuid`,
        position: sql`(${rollout} - 1)::int`,
        releaseId: releases.id,
        tenantId: releases.tenantId,
        tenantPosition: sql`(${inTenant})::int`,
        wave: waveOf(tenants.environment),
        tenantSlug: tenants.slug,
        releaseName: releases.name,
        namespace: releases.namespace,
        fromVersion: releases.chartVersion,
        fromRevision: releases.deployedRevision,
        status: sql`'PENDING'`,
      })
      .from(releases)
      .innerJoin(tenants, sql`${tenants.id} = ${releases.tenantId}`)
      .where(and(...(conditions ?? [sql`false`])));
    await tx.execute(
      sql`insert into batch_items (batch_id, position, release_id, tenant_id, tenant_position, wave, tenant_slug, release_name, namespace, from_version, from_revision, status) ${selected}`,
    );
    const counted = sql`(select count(*) from batch_items where batch_id = ${batch!.id})`;
    const created = await commitBatchChange(tx, { batchId: batch!.id, set: { items_total: counted, items_pending: counted }, batchEvent: true });
    await recordAuditEvent(tx, ctx, {
      action: "batch.created",
      targetType: "batch",
      targetId: created.id,
      summary: { kind: "upgrade", chartName: input.chartName, targetVersion: input.targetVersion, items: created.itemsTotal, options: created.options },
    });
    return created;
  });
}
