import { batchSubmission } from "@/server/bootstrap/background-work";
import { getBatch } from "@/server/domain/batches/list-batches";
import { previewBatchUpgrade } from "@/server/domain/batches/preview-batch-upgrade";
import { releasesUpgradedBy, submitBatch } from "@/server/domain/batches/submit-batch";
import { batchLocation, interruptedBatchResponse } from "@/server/http/batch-answer";
import { parseBatchUpgradeRequest } from "@/server/http/batch-request";
import { endpoint } from "@/server/http/endpoint";
import { jsonArrayResponse } from "@/server/http/json-array-stream";
import { chartNameParams, parseParams } from "@/server/http/params";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/helm/releases/chart/{chartName}/batch-upgrade", {
  batchUpgrade: async ({ req, ctx, params, url, json }) => {
    const { chartName } = parseParams(chartNameParams, params);
    const input = parseBatchUpgradeRequest(url, json(), chartName);
    if (input.dryRun) return { body: await previewBatchUpgrade({ ctx, input }) };
    const submitted = await submitBatch({ ctx, request: { kind: "upgrade", input }, async: input.async, ...batchSubmission(req.signal) });
    const headers = batchLocation(submitted.batch.id);
    if (submitted.outcome === "queued") return { status: 202, body: await getBatch({ ctx, batchId: submitted.batch.id }), headers };
    if (submitted.outcome === "interrupted") return interruptedBatchResponse(submitted);
    // The releases it upgraded, read and sent a page at a time: a 100k batch never sits in memory.
    return jsonArrayResponse(releasesUpgradedBy(ctx.db, submitted.batch.id), { headers });
  },
});
