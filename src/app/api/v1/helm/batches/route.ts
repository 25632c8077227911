import { listBatchesQuery } from "@/contracts/batches";
import { listBatches } from "@/server/domain/batches/list-batches";
import { parseQuery, queryObject } from "@/server/http/parse";
import { nextLinkHeader, route } from "@/server/http/route";

export const GET = route(async ({ ctx, url }) => {
  const page = await listBatches({ ctx, query: parseQuery(listBatchesQuery, queryObject(url)) });
  return { body: page.items, headers: nextLinkHeader(url, page.nextCursor) };
});
