import { getBatch } from "@/server/domain/batches/list-batches";
import { endpoint } from "@/server/http/endpoint";
import { batchIdParams, parseParams } from "@/server/http/params";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/helm/batches/{batchId}", {
  getBatch: async ({ ctx, params }) => {
    const { batchId } = parseParams(batchIdParams, params);
    return { body: await getBatch({ ctx, batchId }) };
  },
});
