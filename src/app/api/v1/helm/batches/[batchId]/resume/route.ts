import { wakeBatchRunner } from "@/server/bootstrap/background-work";
import { controlBatch } from "@/server/domain/batches/control-batch";
import { endpoint } from "@/server/http/endpoint";
import { batchIdParams, parseParams } from "@/server/http/params";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/helm/batches/{batchId}/resume", {
  resumeBatch: async ({ ctx, params }) => {
    const { batchId } = parseParams(batchIdParams, params);
    const batch = await controlBatch({ ctx, batchId, action: "resume" });
    wakeBatchRunner();
    return { body: batch };
  },
});
