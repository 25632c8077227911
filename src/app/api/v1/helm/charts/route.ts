import { CHART_ARCHIVE_TYPES, publishChartInput } from "@/contracts/charts";
import { requirePlatformAdmin } from "@/server/domain/access/rules";
import { listCharts } from "@/server/domain/charts/list-chart-versions";
import { publishChartVersion } from "@/server/domain/charts/publish-chart-version";
import { readChartArchive } from "@/server/domain/charts/read-chart-archive";
import { endpoint } from "@/server/http/endpoint";
import { parseInput } from "@/server/http/parse";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/helm/charts", {
  listCharts: async ({ ctx }) => ({ body: await listCharts({ ctx }) }),
  /** JSON, or the packaged chart (.tgz) itself as the body. Re-publishing identical content answers 200 instead of 201. */
  publishChartVersion: async ({ ctx, req, json, bytes }) => {
    const isArchive = CHART_ARCHIVE_TYPES.some((t) => (req.headers.get("content-type") ?? "").toLowerCase().startsWith(t));
    let result;
    if (isArchive) {
      // Authorise before unpacking: only a platform admin may make the server inflate an archive.
      requirePlatformAdmin(ctx.actor, "publish charts");
      const { input, digest } = readChartArchive(bytes);
      result = await publishChartVersion({ ctx, input, source: { kind: "archive", digest } });
    } else {
      result = await publishChartVersion({ ctx, input: parseInput(publishChartInput, json()) });
    }
    const { chartVersion, created } = result;
    const location = `/api/v1/helm/charts/${chartVersion.name}/versions/${encodeURIComponent(chartVersion.version)}`;
    return { status: created ? 201 : 200, body: chartVersion, headers: { Location: location } };
  },
});
