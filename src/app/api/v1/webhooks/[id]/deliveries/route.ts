import { listDeliveriesQuery } from "@/contracts/webhooks";
import { listDeliveries } from "@/server/domain/webhooks/manage-webhooks";
import { endpoint } from "@/server/http/endpoint";
import { idParams, parseParams } from "@/server/http/params";
import { parseQuery, queryObject } from "@/server/http/parse";
import { nextLinkHeader } from "@/server/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/webhooks/{id}/deliveries", {
  listWebhookDeliveries: async ({ ctx, params, url }) => {
    const { id } = parseParams(idParams, params);
    const query = parseQuery(listDeliveriesQuery, queryObject(url));
    const page = await listDeliveries({ ctx, webhookId: id, query });
    return { body: page.items, headers: nextLinkHeader(url, page.nextCursor, query) };
  },
});
