import type { ReleaseView, RevisionView } from "@/contracts/releases";
import { releases, revisions } from "@/server/db/schema";
import { tenants } from "@/server/db/schema";

export type ReleaseRow = typeof releases.$inferSelect;
export type RevisionRow = typeof revisions.$inferSelect;

/** The columns every release read selects: the row plus its tenant's slug. */
export const releaseColumns = {
  release: releases,
  tenantSlug: tenants.slug,
};

/** Only what a ReleaseView shows, for reads of many releases that need nothing else. */
export const releaseViewFields = {
  id: releases.id,
  tenantId: releases.tenantId,
  name: releases.name,
  namespace: releases.namespace,
  chartName: releases.chartName,
  chartVersion: releases.chartVersion,
  appVersion: releases.appVersion,
  deployedRevision: releases.deployedRevision,
  latestRevision: releases.latestRevision,
  status: releases.status,
  updatedAt: releases.updatedAt,
};
export type ReleaseViewRow = Pick<ReleaseRow, keyof typeof releaseViewFields>;

export function toReleaseView(row: { release: ReleaseViewRow; tenantSlug: string }): ReleaseView {
  const r = row.release;
  return {
    id: r.id,
    tenantId: r.tenantId,
    tenantSlug: row.tenantSlug,
    name: r.name,
    namespace: r.namespace,
    chartName: r.chartName,
    chartVersion: r.chartVersion,
    appVersion: r.appVersion,
    revision: r.deployedRevision,
    latestRevision: r.latestRevision,
    status: r.status,
    updatedAt: r.updatedAt.toISOString(),
  };
}

export function toRevisionView(r: RevisionRow): RevisionView {
  return {
    revision: r.revision,
    chartVersion: r.chartVersion,
    appVersion: r.appVersion,
    status: r.status,
    operation: r.operation,
    description: r.description,
    valuesOverride: r.valuesOverride,
    userValues: r.userValues,
    values: r.values,
    error: r.error,
    actor: r.actor,
    startedAt: r.startedAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
  };
}
