import { listChartVersions } from "@/server/domain/charts/list-chart-versions";
import { chartNameParams, parseParams } from "@/server/http/params";
import { route } from "@/server/http/route";

export const GET = route<{ chartName: string }>(async ({ ctx, params }) => {
  const { chartName } = parseParams(chartNameParams, params);
  return { body: await listChartVersions({ ctx, chartName }) };
});
