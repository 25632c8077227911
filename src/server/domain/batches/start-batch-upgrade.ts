import { and, count, eq, sql } from "drizzle-orm";
import type { BatchOptions, BatchUpgradeInput } from "@/contracts/batches";
import { batchItems, batches, releases, tenants } from "@/server/db/schema";
import { requirePlatformAdmin } from "../access/rules";
import { recordAuditEvent } from "../audit/record-audit-event";
import { findChartVersion } from "../charts/list-chart-versions";
import type { DomainContext } from "../context";
import { DomainError } from "../errors";
import { needsUpgradeConditions } from "../fleet/find-releases-needing-upgrade";
import { findVisibleTenant } from "../tenants/list-tenants";
import type { BatchRow } from "./batch-view";
import { batchChanged } from "./record-batch-event";

export function batchOptionsOf(input: BatchUpgradeInput): BatchOptions {
  const { chartName: _c, targetVersion: _t, async: _a, dryRun: _d, ...options } = input;
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

/**
 * Records a batch (QUEUED) with one item per release that needs the upgrade, in rollout
 * order. The items are copied by one INSERT … SELECT over the needs-upgrade query, so a
 * fleet of 100k releases never passes through JavaScript.
 */
export async function startBatchUpgrade({ ctx, input }: { ctx: DomainContext; input: BatchUpgradeInput }): Promise<BatchRow> {
  await validateBatchTarget(ctx, input);
  const conditions = await needsUpgradeConditions(ctx.db, ctx.actor, { chartName: input.chartName, targetVersion: input.targetVersion, tenant: input.tenant });
  return ctx.db.transaction(async (tx) => {
    const [batch] = await tx
      .insert(batches)
      .values({
        kind: "upgrade",
        chartName: input.chartName,
        targetVersion: input.targetVersion,
        status: "QUEUED",
        options: batchOptionsOf(input),
        tenantId: ctx.actor.tenantId,
        createdBy: ctx.actor.name,
      })
      .returning();
    const rollout = sql`row_number() over (order by ${releases.rolloutKey}, ${releases.id}) - 1`;
    const selected = tx
      .select({
        batchId: sql`${batch!.id}::uuid`,
        position: sql`(${rollout})::int`,
        releaseId: releases.id,
        tenantSlug: tenants.slug,
        releaseName: releases.name,
        fromVersion: releases.chartVersion,
        fromRevision: releases.deployedRevision,
        status: sql`'PENDING'`,
      })
      .from(releases)
      .innerJoin(tenants, sql`${tenants.id} = ${releases.tenantId}`)
      .where(and(...(conditions ?? [sql`false`])));
    await tx.execute(
      sql`insert into ${batchItems} (batch_id, position, release_id, tenant_slug, release_name, from_version, from_revision, status) ${selected}`,
    );
    const [{ total } = { total: 0 }] = await tx.select({ total: count() }).from(batchItems).where(eq(batchItems.batchId, batch!.id));
    await recordAuditEvent(tx, ctx, {
      action: "batch.created",
      targetType: "batch",
      targetId: batch!.id,
      summary: { kind: "upgrade", chartName: input.chartName, targetVersion: input.targetVersion, items: total, options: batch!.options },
    });
    await batchChanged(tx, batch!);
    return batch!;
  });
}
