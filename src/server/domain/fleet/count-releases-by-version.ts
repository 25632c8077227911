import { and, count, desc, eq, isNotNull, ne } from "drizzle-orm";
import { releases } from "@/server/db/schema";
import { tenantCondition } from "../access/rules";
import type { DomainContext } from "../context";

/**
 * How many releases (not uninstalled) run each deployed version of a chart: most releases
 * first, ties by semver descending. Counted in SQL; a failed upgrade counts at what runs.
 */
export async function countReleasesByVersion({ ctx, chartName }: { ctx: DomainContext; chartName: string }): Promise<Record<string, number>> {
  const rows = await ctx.db
    .select({ version: releases.chartVersion, releases: count() })
    .from(releases)
    .where(and(eq(releases.chartName, chartName), ne(releases.status, "UNINSTALLED"), isNotNull(releases.chartVersion), tenantCondition(ctx.actor, releases.tenantId)))
    .groupBy(releases.chartVersion, releases.versionSort)
    .orderBy(desc(count()), desc(releases.versionSort), desc(releases.chartVersion));
  return Object.fromEntries(rows.map((r) => [r.version!, Number(r.releases)]));
}
