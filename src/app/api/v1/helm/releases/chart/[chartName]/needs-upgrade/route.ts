import { needsUpgradeQuery } from "@/contracts/releases";
import { findReleasesNeedingUpgrade } from "@/server/domain/fleet/find-releases-needing-upgrade";
import { endpoint } from "@/server/http/endpoint";
import { chartNameParams, parseParams } from "@/server/http/params";
import { parseQuery, queryObject } from "@/server/http/parse";
import { nextLinkHeader } from "@/server/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/helm/releases/chart/{chartName}/needs-upgrade", {
  findReleasesNeedingUpgrade: async ({ ctx, params, url }) => {
    const { chartName } = parseParams(chartNameParams, params);
    const query = parseQuery(needsUpgradeQuery, queryObject(url));
    const page = await findReleasesNeedingUpgrade({
      ctx,
      filter: { chartName, targetVersion: query.targetVersion, tenant: query.tenant },
      limit: query.limit,
      cursor: query.cursor,
    });
    return { body: page.items, headers: nextLinkHeader(url, page.nextCursor) };
  },
});
