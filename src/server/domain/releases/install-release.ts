import type { InstallReleaseInput, ReleaseWithRevision } from "@/contracts/releases";
import { isUniqueViolation } from "@/server/db/errors";
import { configuredDriver } from "@/server/deploy";
import { releases, revisions } from "@/server/db/schema";
import { requireReleaseWriter } from "../access/rules";
import { recordAuditEvent } from "../audit/record-audit-event";
import { requireChartVersion } from "../charts/list-chart-versions";
import type { DomainContext } from "../context";
import { DomainError, notFound } from "../errors";
import { rolloutKey } from "../fleet/find-releases-needing-upgrade";
import { findVisibleTenant } from "../tenants/list-tenants";
import { computeValues } from "../values/merge-values";
import { validateValues } from "../values/validate-values";
import { claimNamespace } from "./claim-namespace";
import { applyOperation, finishOperation, leaseExpiry, type StartedOperation } from "./release-operation";

/** Installs a chart for a tenant: the release and its revision 1, then the driver. */
export async function installRelease({ ctx, input }: { ctx: DomainContext; input: InstallReleaseInput }): Promise<ReleaseWithRevision> {
  const tenant = await findVisibleTenant(ctx.db, ctx.actor, input.tenantId);
  if (!tenant) throw notFound(`tenant ${input.tenantId}`);
  requireReleaseWriter(ctx.actor, "install releases");
  const chart = await requireChartVersion(ctx.db, input.chartName, input.chartVersion);
  const userValues = input.valuesOverride ?? {};
  const values = computeValues(chart.defaultValues, userValues);
  const schemaErrors = validateValues(values, chart.valuesSchema ?? null);
  if (schemaErrors.length > 0) {
    throw new DomainError("VALIDATION_FAILED", `the values do not match the values schema of ${chart.name} ${chart.version}`, { errors: schemaErrors });
  }

  const driver = ctx.driver ?? configuredDriver();
  let started: StartedOperation;
  try {
    started = await ctx.db.transaction(async (tx) => {
      if (driver.claimsNamespaces) await claimNamespace(tx, { kubeContext: tenant.kubeContext, namespace: input.namespace, tenantId: tenant.id });
      const [release] = await tx
        .insert(releases)
        .values({
          tenantId: tenant.id,
          name: input.name,
          namespace: input.namespace,
          chartName: chart.name,
          rolloutKey: rolloutKey(tenant.environment, tenant.slug, input.name, input.namespace),
          status: "PENDING_INSTALL",
          latestRevision: 1,
          pendingRevision: 1,
          leaseExpiresAt: leaseExpiry(),
        })
        .returning();
      const [revision] = await tx
        .insert(revisions)
        .values({
          releaseId: release!.id,
          revision: 1,
          chartVersion: chart.version,
          appVersion: chart.appVersion,
          valuesOverride: userValues,
          userValues,
          values,
          status: "PENDING_INSTALL",
          operation: "install",
          description: input.description ?? `Install ${chart.name} ${chart.version}`,
          actor: ctx.actor.name,
        })
        .returning();
      await recordAuditEvent(tx, ctx, {
        action: "release.install.start",
        targetType: "release",
        targetId: release!.id,
        tenantId: tenant.id,
        releaseId: release!.id,
        revision: 1,
        summary: { name: input.name, namespace: input.namespace, chart: chart.name, to: chart.version },
      });
      return { operation: "install" as const, target: { release: release!, tenant }, revision: revision!, batchId: null, startedAt: performance.now() };
    });
  } catch (e) {
    if (isUniqueViolation(e)) {
      throw new DomainError("CONFLICT", `release ${input.name} already exists in namespace ${input.namespace} of tenant ${tenant.slug}`);
    }
    throw e;
  }
  return finishOperation(ctx, started, await applyOperation(ctx, started));
}
