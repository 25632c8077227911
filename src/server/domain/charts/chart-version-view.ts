import type { ChartVersionDetail, ChartVersionSummary } from "@/contracts/charts";
import { chartVersions } from "@/server/db/schema";

export type ChartVersionRow = typeof chartVersions.$inferSelect;

export const toChartVersionSummary = (c: ChartVersionRow): ChartVersionSummary => ({
  name: c.name,
  version: c.version,
  appVersion: c.appVersion,
  deprecated: c.deprecated,
  changes: c.changes,
  containsSecurityUpdates: c.changes.some((change) => change.kind === "security"),
  createdAt: c.createdAt.toISOString(),
});

export const toChartVersionDetail = (c: ChartVersionRow): ChartVersionDetail => ({
  ...toChartVersionSummary(c),
  id: c.id,
  defaultValues: c.defaultValues,
  valuesSchema: c.valuesSchema ?? null,
});
