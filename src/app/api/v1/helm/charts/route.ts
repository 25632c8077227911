import { publishChartInput } from "@/contracts/charts";
import { listCharts } from "@/server/domain/charts/list-chart-versions";
import { publishChartVersion } from "@/server/domain/charts/publish-chart-version";
import { parseInput } from "@/server/http/parse";
import { route } from "@/server/http/route";

export const GET = route(async ({ ctx }) => ({ body: await listCharts({ ctx }) }));

/** Publish a chart version as JSON. Re-publishing identical content answers 200, not 201. */
export const POST = route(async ({ ctx, json }) => {
  const { chartVersion, created } = await publishChartVersion({ ctx, input: parseInput(publishChartInput, json()) });
  return {
    status: created ? 201 : 200,
    body: chartVersion,
    headers: { Location: `/api/v1/helm/charts/${chartVersion.name}/versions` },
  };
});
