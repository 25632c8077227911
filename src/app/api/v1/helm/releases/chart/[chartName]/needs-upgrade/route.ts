import { needsUpgradeQuery } from "@/contracts/releases";
import { needsUpgradePageJson, pagesOfReleasesNeedingUpgrade } from "@/server/domain/fleet/find-releases-needing-upgrade";
import { endpoint } from "@/server/http/endpoint";
import { jsonArrayResponse } from "@/server/http/json-array-stream";
import { chartNameParams, parseParams } from "@/server/http/params";
import { parseQuery, queryObject } from "@/server/http/parse";
import { nextLinkHeader } from "@/server/http/route";
import { log } from "@/server/observability/log";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/helm/releases/chart/{chartName}/needs-upgrade", {
  findReleasesNeedingUpgrade: async ({ ctx, params, url }) => {
    const { chartName } = parseParams(chartNameParams, params);
    const query = parseQuery(needsUpgradeQuery, queryObject(url));
    const filter = { chartName, targetVersion: query.targetVersion, tenant: query.tenant };
    // Without a limit the answer is every release below the target (80% of a fleet, often):
    // streamed page by page rather than built as one array in memory.
    if (query.limit === undefined) {
      return jsonArrayResponse(pagesOfReleasesNeedingUpgrade({ ctx, filter, cursor: query.cursor }), {
        onError: (err) => log.error({ err, requestId: ctx.requestId, route: "needs-upgrade" }, "streaming needs-upgrade failed after the first page; the answer was cut"),
      });
    }
    // The page's JSON as PostgreSQL built it, sent as is: no object per release in this process.
    const page = await needsUpgradePageJson({ ctx, filter, limit: query.limit, cursor: query.cursor });
    return new Response(page.json, { headers: { "Content-Type": "application/json", "Cache-Control": "no-store", ...nextLinkHeader(url, page.nextCursor, query) } });
  },
});
