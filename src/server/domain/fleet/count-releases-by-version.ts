import { and, desc, eq, gt, sql } from "drizzle-orm";
import { releaseVersionCounts, releaseVersionTotals } from "@/server/db/schema";
import type { DomainContext } from "../context";

/**
 * How many releases (not uninstalled) run each deployed version of a chart: most releases
 * first, ties by semver descending; a failed upgrade counts at what runs. Read from counts
 * that triggers keep in step with `releases`, so the cost grows with the number of versions,
 * not of releases: a tenant-bound caller reads its tenant's row per version, everyone else
 * at most 16 shard rows per version.
 */
export async function countReleasesByVersion({ ctx, chartName }: { ctx: DomainContext; chartName: string }): Promise<Record<string, number>> {
  const total = sql<number>`sum(${releaseVersionTotals.releases})::integer`.mapWith(Number);
  const rows = ctx.actor.tenantId
    ? await ctx.db
        .select({ version: releaseVersionCounts.version, releases: releaseVersionCounts.releases })
        .from(releaseVersionCounts)
        .where(and(eq(releaseVersionCounts.chartName, chartName), eq(releaseVersionCounts.tenantId, ctx.actor.tenantId), gt(releaseVersionCounts.releases, 0)))
        .orderBy(desc(releaseVersionCounts.releases), desc(releaseVersionCounts.versionSort), desc(releaseVersionCounts.version))
    : await ctx.db
        .select({ version: releaseVersionTotals.version, releases: total })
        .from(releaseVersionTotals)
        .where(eq(releaseVersionTotals.chartName, chartName))
        .groupBy(releaseVersionTotals.version, releaseVersionTotals.versionSort)
        .having(gt(total, 0))
        .orderBy(desc(total), desc(releaseVersionTotals.versionSort), desc(releaseVersionTotals.version));
  return Object.fromEntries(rows.map((r) => [r.version, r.releases]));
}
