import { tracked, TRPCError } from "@trpc/server";
import { z } from "zod";
import { batchPreviewSchema, batchRef, batchSchema, batchSummarySchema, batchUpgradeInput, listBatchesQuery } from "@/contracts/batches";
import { booleanFlag } from "@/contracts/common";
import { wakeBatchRunner } from "@/server/bootstrap/background-work";
import { loadVisibleBatch } from "@/server/domain/batches/batch-view";
import { controlBatch } from "@/server/domain/batches/control-batch";
import { getBatch, listBatches } from "@/server/domain/batches/list-batches";
import { previewBatchUpgrade } from "@/server/domain/batches/preview-batch-upgrade";
import { rollbackBatch } from "@/server/domain/batches/rollback-batch";
import { runBatchUntilSettled } from "@/server/domain/batches/settle-batch";
import { startBatchUpgrade } from "@/server/domain/batches/start-batch-upgrade";
import { streamBatchEvents } from "@/server/domain/batches/stream-batch-events";
import type { DomainContext } from "@/server/domain/context";
import { authedProcedure, platformAdminProcedure, router } from "../trpc";

/** With async the batch is answered as queued; without, once it has ended or paused. */
async function settle(ctx: DomainContext, batchId: string, async: boolean) {
  if (async) wakeBatchRunner();
  else await runBatchUntilSettled({ db: ctx.db, batchId, driver: ctx.driver });
  return getBatch({ ctx, batchId });
}

export const batchesRouter = router({
  list: authedProcedure
    .input(listBatchesQuery)
    .output(z.object({ items: batchSummarySchema.array(), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) => listBatches({ ctx: ctx.domain, query: input })),
  get: authedProcedure.input(batchRef).output(batchSchema).query(({ ctx, input }) => getBatch({ ctx: ctx.domain, batchId: input.batchId })),
  preview: platformAdminProcedure("run batch upgrades").input(batchUpgradeInput).output(batchPreviewSchema).query(({ ctx, input }) => previewBatchUpgrade({ ctx: ctx.domain, input })),
  start: platformAdminProcedure("run batch upgrades")
    .input(batchUpgradeInput)
    .output(batchSchema)
    .mutation(async ({ ctx, input }) => {
      if (input.dryRun) throw new TRPCError({ code: "BAD_REQUEST", message: "a dry run is batches.preview" });
      const batch = await startBatchUpgrade({ ctx: ctx.domain, input });
      return settle(ctx.domain, batch.id, input.async);
    }),
  cancel: platformAdminProcedure("cancel batches").input(batchRef).output(batchSchema).mutation(({ ctx, input }) => controlBatch({ ctx: ctx.domain, batchId: input.batchId, action: "cancel" })),
  pause: platformAdminProcedure("pause batches").input(batchRef).output(batchSchema).mutation(({ ctx, input }) => controlBatch({ ctx: ctx.domain, batchId: input.batchId, action: "pause" })),
  resume: platformAdminProcedure("resume batches")
    .input(batchRef)
    .output(batchSchema)
    .mutation(async ({ ctx, input }) => {
      const batch = await controlBatch({ ctx: ctx.domain, batchId: input.batchId, action: "resume" });
      wakeBatchRunner();
      return batch;
    }),
  rollback: platformAdminProcedure("roll back batches")
    .input(batchRef.extend({ async: booleanFlag.default(false) }))
    .output(batchSchema)
    .mutation(async ({ ctx, input }) => {
      const rollback = await rollbackBatch({ ctx: ctx.domain, batchId: input.batchId });
      return settle(ctx.domain, rollback.id, input.async);
    }),
  /** Live progress: the same events as GET /helm/batches/:id/events; reconnects resume from the last event id. */
  events: authedProcedure
    .input(batchRef.extend({ lastEventId: z.coerce.number().int().min(0).nullish() }))
    .subscription(async function* ({ ctx, input, signal }) {
      await loadVisibleBatch(ctx.domain.db, ctx.domain.actor, input.batchId);
      for await (const { id, event } of streamBatchEvents({ ctx: ctx.domain, batchId: input.batchId, lastEventId: input.lastEventId ?? undefined, signal })) {
        yield tracked(String(id), event);
      }
    }),
});
