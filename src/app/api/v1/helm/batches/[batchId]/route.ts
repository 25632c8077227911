import { getBatch } from "@/server/domain/batches/list-batches";
import { batchIdParams, parseParams } from "@/server/http/params";
import { route } from "@/server/http/route";

export const GET = route<{ batchId: string }>(async ({ ctx, params }) => {
  const { batchId } = parseParams(batchIdParams, params);
  return { body: await getBatch({ ctx, batchId }) };
});
