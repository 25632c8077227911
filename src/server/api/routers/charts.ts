import { z } from "zod";
import { chartSummary, chartVersionDetail, chartVersionSummary, publishChartInput } from "@/contracts/charts";
import { chartName, semverString } from "@/contracts/common";
import { getChartVersion, listCharts, listChartVersions } from "@/server/domain/charts/list-chart-versions";
import { publishChartVersion } from "@/server/domain/charts/publish-chart-version";
import { authedProcedure, platformAdminProcedure, router } from "../trpc";

export const chartsRouter = router({
  list: authedProcedure.output(chartSummary.array()).query(({ ctx }) => listCharts({ ctx: ctx.domain })),
  versions: authedProcedure
    .input(z.object({ chartName }))
    .output(chartVersionSummary.array())
    .query(({ ctx, input }) => listChartVersions({ ctx: ctx.domain, chartName: input.chartName })),
  version: authedProcedure
    .input(z.object({ chartName, version: semverString }))
    .output(chartVersionDetail)
    .query(({ ctx, input }) => getChartVersion({ ctx: ctx.domain, name: input.chartName, version: input.version })),
  publish: platformAdminProcedure("publish charts")
    .input(publishChartInput)
    .output(chartVersionDetail)
    .mutation(async ({ ctx, input }) => (await publishChartVersion({ ctx: ctx.domain, input })).chartVersion),
});
