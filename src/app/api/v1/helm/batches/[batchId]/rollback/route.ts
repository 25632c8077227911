import { wakeBatchRunner } from "@/server/bootstrap/background-work";
import { getBatch } from "@/server/domain/batches/list-batches";
import { rollbackBatch } from "@/server/domain/batches/rollback-batch";
import { runBatchUntilSettled } from "@/server/domain/batches/settle-batch";
import { endpoint } from "@/server/http/endpoint";
import { asyncQuery, batchIdParams, parseParams } from "@/server/http/params";
import { parseQuery, queryObject } from "@/server/http/parse";

/** The rollback is itself a batch: 200 with it once it has ended, or 202 at once with async=true. */
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/helm/batches/{batchId}/rollback", {
  rollbackBatch: async ({ ctx, params, url }) => {
    const { batchId } = parseParams(batchIdParams, params);
    const { async } = parseQuery(asyncQuery, queryObject(url));
    const rollback = await rollbackBatch({ ctx, batchId });
    const headers = { Location: `/api/v1/helm/batches/${rollback.id}` };
    if (async) wakeBatchRunner();
    else await runBatchUntilSettled({ db: ctx.db, batchId: rollback.id, driver: ctx.driver });
    return { status: async ? 202 : 200, body: await getBatch({ ctx, batchId: rollback.id }), headers };
  },
});
