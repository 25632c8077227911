import { listAuditQuery } from "@/contracts/audit";
import { listAuditEvents } from "@/server/domain/audit/list-audit-events";
import { parseQuery, queryObject } from "@/server/http/parse";
import { nextLinkHeader, route } from "@/server/http/route";

export const GET = route(async ({ ctx, url }) => {
  const page = await listAuditEvents({ ctx, query: parseQuery(listAuditQuery, queryObject(url)) });
  return { body: page.items, headers: nextLinkHeader(url, page.nextCursor) };
});
