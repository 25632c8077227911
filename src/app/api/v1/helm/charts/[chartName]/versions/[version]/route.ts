import { getChartVersion } from "@/server/domain/charts/list-chart-versions";
import { endpoint } from "@/server/http/endpoint";
import { chartVersionParams, parseParams } from "@/server/http/params";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/helm/charts/{chartName}/versions/{version}", {
  getChartVersion: async ({ ctx, params }) => {
    const { chartName, version } = parseParams(chartVersionParams, params);
    return { body: await getChartVersion({ ctx, name: chartName, version }) };
  },
});
