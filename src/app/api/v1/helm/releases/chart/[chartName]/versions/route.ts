import { countReleasesByVersion } from "@/server/domain/fleet/count-releases-by-version";
import { endpoint } from "@/server/http/endpoint";
import { chartNameParams, parseParams } from "@/server/http/params";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/helm/releases/chart/{chartName}/versions", {
  countReleasesByVersion: async ({ ctx, params }) => {
    const { chartName } = parseParams(chartNameParams, params);
    return { body: await countReleasesByVersion({ ctx, chartName }) };
  },
});
