import { needsUpgradeQuery } from "@/contracts/releases";
import { findReleasesNeedingUpgrade } from "@/server/domain/fleet/find-releases-needing-upgrade";
import { chartNameParams, parseParams } from "@/server/http/params";
import { parseQuery, queryObject } from "@/server/http/parse";
import { nextLinkHeader, route } from "@/server/http/route";

export const GET = route<{ chartName: string }>(async ({ ctx, params, url }) => {
  const { chartName } = parseParams(chartNameParams, params);
  const query = parseQuery(needsUpgradeQuery, queryObject(url));
  const page = await findReleasesNeedingUpgrade({
    ctx,
    filter: { chartName, targetVersion: query.targetVersion, tenant: query.tenant },
    limit: query.limit,
    cursor: query.cursor,
  });
  return { body: page.items, headers: nextLinkHeader(url, page.nextCursor) };
});
