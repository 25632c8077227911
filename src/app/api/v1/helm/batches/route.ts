import { listBatchesQuery } from "@/contracts/batches";
import { listBatches } from "@/server/domain/batches/list-batches";
import { endpoint } from "@/server/http/endpoint";
import { parseQuery, queryObject } from "@/server/http/parse";
import { nextLinkHeader } from "@/server/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/helm/batches", {
  listBatches: async ({ ctx, url }) => {
    const query = parseQuery(listBatchesQuery, queryObject(url));
    const page = await listBatches({ ctx, query });
    return { body: page.items, headers: nextLinkHeader(url, page.nextCursor, query) };
  },
});
