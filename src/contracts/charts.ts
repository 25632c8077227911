import { z } from "zod";
import { chartChange, chartName, semverString, valuesObject } from "./common";

/** Content types under which a packaged chart (.tgz) is accepted as a request body. */
export const CHART_ARCHIVE_TYPES = ["application/gzip", "application/x-gzip", "application/x-tar+gzip", "application/octet-stream"] as const;

export const publishChartInput = z.object({
  name: chartName,
  version: semverString,
  appVersion: z.string().trim().min(1).max(200),
  defaultValues: valuesObject.default({}),
  valuesSchema: valuesObject.nullish(),
  changes: z.array(chartChange).max(500).default([]),
  deprecated: z.boolean().default(false),
});
export type PublishChartInput = z.infer<typeof publishChartInput>;

export const chartVersionSummary = z.object({
  name: z.string(),
  version: z.string(),
  appVersion: z.string(),
  deprecated: z.boolean(),
  changes: z.array(chartChange),
  containsSecurityUpdates: z.boolean(),
  createdAt: z.string(),
});
export type ChartVersionSummary = z.infer<typeof chartVersionSummary>;

export const chartVersionDetail = chartVersionSummary.extend({
  id: z.string(),
  defaultValues: z.record(z.string(), z.unknown()),
  valuesSchema: z.record(z.string(), z.unknown()).nullable(),
});
export type ChartVersionDetail = z.infer<typeof chartVersionDetail>;

export const chartSummary = z.object({
  name: z.string(),
  latestVersion: z.string(),
  versions: z.number(),
});
export type ChartSummary = z.infer<typeof chartSummary>;
