import { batchItemsQuery } from "@/contracts/batches";
import { listBatchItems } from "@/server/domain/batches/list-batches";
import { endpoint } from "@/server/http/endpoint";
import { batchIdParams, parseParams } from "@/server/http/params";
import { parseQuery, queryObject } from "@/server/http/parse";
import { nextLinkHeader } from "@/server/http/route";

/** A batch's items in processing order, a page at a time (limit ≤ 1000, default 100), by status and tenant. */
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/helm/batches/{batchId}/items", {
  listBatchItems: async ({ ctx, params, url }) => {
    const { batchId } = parseParams(batchIdParams, params);
    const query = parseQuery(batchItemsQuery, queryObject(url));
    const page = await listBatchItems({ ctx, batchId, query });
    return { body: page.items, headers: nextLinkHeader(url, page.nextCursor, query) };
  },
});
