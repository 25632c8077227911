import { batchSubmission } from "@/server/bootstrap/background-work";
import { getBatch } from "@/server/domain/batches/list-batches";
import { submitBatch } from "@/server/domain/batches/submit-batch";
import { batchLocation, interruptedBatchResponse } from "@/server/http/batch-answer";
import { endpoint } from "@/server/http/endpoint";
import { asyncQuery, batchIdParams, parseParams } from "@/server/http/params";
import { parseQuery, queryObject } from "@/server/http/parse";

/** The rollback is itself a batch: 200 with it once it has ended, or 202 at once with async=true. */
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/helm/batches/{batchId}/rollback", {
  rollbackBatch: async ({ req, ctx, params, url }) => {
    const { batchId } = parseParams(batchIdParams, params);
    const { async } = parseQuery(asyncQuery, queryObject(url));
    const submitted = await submitBatch({ ctx, request: { kind: "rollback", batchId }, async, ...batchSubmission(req.signal) });
    if (submitted.outcome === "interrupted") return interruptedBatchResponse(submitted);
    return { status: async ? 202 : 200, body: await getBatch({ ctx, batchId: submitted.batch.id }), headers: batchLocation(submitted.batch.id) };
  },
});
