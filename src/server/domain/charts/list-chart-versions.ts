import { and, desc, eq, sql } from "drizzle-orm";
import type { ChartSummary, ChartVersionDetail, ChartVersionSummary } from "@/contracts/charts";
import type { DbOrTx } from "@/server/db/client";
import { chartVersions } from "@/server/db/schema";
import type { DomainContext } from "../context";
import { DomainError, notFound } from "../errors";
import { toChartVersionDetail, toChartVersionSummary, type ChartVersionRow } from "./chart-version-view";

/** A chart's versions, semver descending. The catalog is public to every signed-in role. */
export async function listChartVersions({ ctx, chartName }: { ctx: DomainContext; chartName: string }): Promise<ChartVersionSummary[]> {
  const rows = await ctx.db.select().from(chartVersions).where(eq(chartVersions.name, chartName)).orderBy(desc(chartVersions.versionSort), desc(chartVersions.version));
  return rows.map(toChartVersionSummary);
}

/** Every chart with its newest version (by semver, not by publish date). */
export async function listCharts({ ctx }: { ctx: DomainContext }): Promise<ChartSummary[]> {
  const rows = await ctx.db
    .selectDistinctOn([chartVersions.name], {
      name: chartVersions.name,
      latestVersion: chartVersions.version,
      versions: sql<number>`(count(*) over (partition by ${chartVersions.name}))::int`,
    })
    .from(chartVersions)
    .orderBy(chartVersions.name, desc(chartVersions.versionSort), desc(chartVersions.version));
  return rows;
}

export async function findChartVersion(db: DbOrTx, name: string, version: string): Promise<ChartVersionRow | undefined> {
  const [row] = await db
    .select()
    .from(chartVersions)
    .where(and(eq(chartVersions.name, name), eq(chartVersions.version, version)));
  return row;
}

export async function getChartVersion({ ctx, name, version }: { ctx: DomainContext; name: string; version: string }): Promise<ChartVersionDetail> {
  const row = await findChartVersion(ctx.db, name, version);
  if (!row) throw notFound(`chart ${name} version ${version}`);
  return toChartVersionDetail(row);
}

/** The chart version an install or upgrade names; unknown is invalid input (422), not a missing resource. */
export async function requireChartVersion(db: DbOrTx, name: string, version: string): Promise<ChartVersionRow> {
  const row = await findChartVersion(db, name, version);
  if (!row) {
    throw new DomainError("VALIDATION_FAILED", `chart ${name} has no published version ${version}`, {
      errors: [{ path: "chartVersion", message: `unknown version of chart ${name}` }],
    });
  }
  return row;
}
