import { controlBatch } from "@/server/domain/batches/control-batch";
import { endpoint } from "@/server/http/endpoint";
import { batchIdParams, parseParams } from "@/server/http/params";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/helm/batches/{batchId}/cancel", {
  cancelBatch: async ({ ctx, params }) => {
    const { batchId } = parseParams(batchIdParams, params);
    return { body: await controlBatch({ ctx, batchId, action: "cancel" }) };
  },
});
