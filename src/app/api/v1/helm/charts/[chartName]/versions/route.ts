import { listChartVersions } from "@/server/domain/charts/list-chart-versions";
import { endpoint } from "@/server/http/endpoint";
import { chartNameParams, parseParams } from "@/server/http/params";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/helm/charts/{chartName}/versions", {
  listChartVersions: async ({ ctx, params }) => {
    const { chartName } = parseParams(chartNameParams, params);
    return { body: await listChartVersions({ ctx, chartName }) };
  },
});
