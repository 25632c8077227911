import { wakeBatchRunner } from "@/server/bootstrap/background-work";
import { getBatch } from "@/server/domain/batches/list-batches";
import { previewBatchUpgrade } from "@/server/domain/batches/preview-batch-upgrade";
import { releasesUpgradedBy, runBatchUntilSettled } from "@/server/domain/batches/settle-batch";
import { startBatchUpgrade } from "@/server/domain/batches/start-batch-upgrade";
import { parseBatchUpgradeRequest } from "@/server/http/batch-request";
import { endpoint } from "@/server/http/endpoint";
import { chartNameParams, parseParams } from "@/server/http/params";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/helm/releases/chart/{chartName}/batch-upgrade", {
  batchUpgrade: async ({ ctx, params, url, json }) => {
    const { chartName } = parseParams(chartNameParams, params);
    const input = parseBatchUpgradeRequest(url, json(), chartName);
    if (input.dryRun) return { body: await previewBatchUpgrade({ ctx, input }) };
    const batch = await startBatchUpgrade({ ctx, input });
    const headers = { Location: `/api/v1/helm/batches/${batch.id}` };
    if (input.async) {
      wakeBatchRunner();
      return { status: 202, body: await getBatch({ ctx, batchId: batch.id }), headers };
    }
    // Waits until the batch ends (or pauses after its canary), running it here unless another runner already does.
    await runBatchUntilSettled({ db: ctx.db, batchId: batch.id, driver: ctx.driver });
    return { body: await releasesUpgradedBy(ctx.db, batch.id), headers };
  },
});
