import { listAuditQuery } from "@/contracts/audit";
import { listAuditEvents } from "@/server/domain/audit/list-audit-events";
import { endpoint } from "@/server/http/endpoint";
import { parseQuery, queryObject } from "@/server/http/parse";
import { nextLinkHeader } from "@/server/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/audit", {
  listAuditEvents: async ({ ctx, url }) => {
    const query = parseQuery(listAuditQuery, queryObject(url));
    const page = await listAuditEvents({ ctx, query });
    return { body: page.items, headers: nextLinkHeader(url, page.nextCursor, query) };
  },
});
