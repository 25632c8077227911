import { publishChartInput } from "@/contracts/charts";
import { listCharts } from "@/server/domain/charts/list-chart-versions";
import { publishChartVersion } from "@/server/domain/charts/publish-chart-version";
import { readChartArchive } from "@/server/domain/charts/read-chart-archive";
import { requirePlatformAdmin } from "@/server/domain/access/rules";
import { parseInput } from "@/server/http/parse";
import { onlyPlatformAdmin, route } from "@/server/http/route";

const ARCHIVE_TYPES = ["application/gzip", "application/x-gzip", "application/x-tar+gzip", "application/octet-stream"];

export const GET = route(async ({ ctx }) => ({ body: await listCharts({ ctx }) }));

/**
 * Publish a chart version: JSON, or the packaged chart (.tgz) itself as the body.
 * Re-publishing identical content answers 200 instead of 201.
 */
export const POST = route(
  async ({ ctx, req, json, bytes }) => {
    const isArchive = ARCHIVE_TYPES.some((t) => (req.headers.get("content-type") ?? "").toLowerCase().startsWith(t));
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
    return { status: created ? 201 : 200, body: chartVersion, headers: { Location: `/api/v1/helm/charts/${chartVersion.name}/versions` } };
  },
  { maxBodyBytes: 10 * 1024 * 1024, accepts: ARCHIVE_TYPES, authorize: onlyPlatformAdmin("publish charts") },
);
