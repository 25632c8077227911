import { and, desc, eq, gt, sql } from "drizzle-orm";
import { releaseVersionCounts, releaseVersionTotals } from "@/server/db/schema";
import { preparedPerDatabase } from "@/server/db/prepared";
import type { DomainContext } from "../context";

const fleetTotal = sql<number>`sum(${releaseVersionTotals.releases})::integer`.mapWith(Number);

const fleetCounts = preparedPerDatabase((db) =>
  db
    .select({ version: releaseVersionTotals.version, releases: fleetTotal })
    .from(releaseVersionTotals)
    .where(eq(releaseVersionTotals.chartName, sql.placeholder("chartName")))
    .groupBy(releaseVersionTotals.version, releaseVersionTotals.versionSort)
    .having(gt(fleetTotal, 0))
    .orderBy(desc(fleetTotal), desc(releaseVersionTotals.versionSort), desc(releaseVersionTotals.version))
    .prepare("fleet_version_counts"),
);

const tenantCounts = preparedPerDatabase((db) =>
  db
    .select({ version: releaseVersionCounts.version, releases: releaseVersionCounts.releases })
    .from(releaseVersionCounts)
    .where(and(eq(releaseVersionCounts.chartName, sql.placeholder("chartName")), eq(releaseVersionCounts.tenantId, sql.placeholder("tenantId")), gt(releaseVersionCounts.releases, 0)))
    .orderBy(desc(releaseVersionCounts.releases), desc(releaseVersionCounts.versionSort), desc(releaseVersionCounts.version))
    .prepare("tenant_version_counts"),
);

/**
 * How many releases (not uninstalled) run each deployed version of a chart: most releases
 * first, ties by semver descending; a failed upgrade counts at what runs. Read from counts
 * that triggers keep in step with `releases`, so the cost grows with the number of versions,
 * not of releases: a tenant-bound caller reads its tenant's row per version, everyone else
 * at most 16 shard rows per version. The hottest read of a dashboard, hence prepared.
 */
export async function countReleasesByVersion({ ctx, chartName }: { ctx: DomainContext; chartName: string }): Promise<Record<string, number>> {
  const rows = ctx.actor.tenantId
    ? await tenantCounts(ctx.db).execute({ chartName, tenantId: ctx.actor.tenantId })
    : await fleetCounts(ctx.db).execute({ chartName });
  return Object.fromEntries(rows.map((r) => [r.version, r.releases]));
}
