import { tracked, TRPCError } from "@trpc/server";
import { z } from "zod";
import {
  batchItemsPageSchema,
  batchItemsQuery,
  batchPreviewSchema,
  batchRef,
  batchSchema,
  batchSummarySchema,
  batchUpgradeInput,
  listBatchesQuery,
} from "@/contracts/batches";
import { booleanFlag } from "@/contracts/common";
import { batchSubmission, wakeBatchRunner } from "@/server/bootstrap/background-work";
import { shutdownSignal } from "@/server/bootstrap/server-lifecycle";
import { controlBatch } from "@/server/domain/batches/control-batch";
import { getBatch, listBatches, listBatchItems } from "@/server/domain/batches/list-batches";
import { previewBatchUpgrade } from "@/server/domain/batches/preview-batch-upgrade";
import { openBatchEvents } from "@/server/domain/batches/stream-batch-events";
import { submitBatch, type BatchRequest } from "@/server/domain/batches/submit-batch";
import type { DomainContext } from "@/server/domain/context";
import { DomainError } from "@/server/domain/errors";
import { authedProcedure, platformAdminProcedure, router } from "../trpc";

/** With async the batch is answered as queued; without, once it has ended or paused. */
async function submit(ctx: DomainContext, request: BatchRequest, async: boolean, signal: AbortSignal | undefined) {
  const submitted = await submitBatch({ ctx, request, async, ...batchSubmission(signal ?? new AbortController().signal) });
  if (submitted.outcome === "interrupted") {
    throw new DomainError("SERVICE_UNAVAILABLE", `the server is stopping; batch ${submitted.batch.id} goes on (${submitted.batch.status})`, {
      extensions: { batchId: submitted.batch.id, location: `/api/v1/helm/batches/${submitted.batch.id}` },
    });
  }
  return getBatch({ ctx, batchId: submitted.batch.id });
}

export const batchesRouter = router({
  list: authedProcedure
    .input(listBatchesQuery)
    .output(z.object({ items: batchSummarySchema.array(), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) => listBatches({ ctx: ctx.domain, query: input })),
  get: authedProcedure.input(batchRef).output(batchSchema).query(({ ctx, input }) => getBatch({ ctx: ctx.domain, batchId: input.batchId })),
  /** A page of a batch's items (the same as GET /helm/batches/:id/items). */
  items: authedProcedure
    .input(batchRef.extend(batchItemsQuery.shape))
    .output(batchItemsPageSchema)
    .query(({ ctx, input: { batchId, ...query } }) => listBatchItems({ ctx: ctx.domain, batchId, query })),
  /** The dry run, a page at a time (limit, cursor); counts are over the whole batch. */
  preview: platformAdminProcedure("run batch upgrades").input(batchUpgradeInput).output(batchPreviewSchema).query(({ ctx, input }) => previewBatchUpgrade({ ctx: ctx.domain, input })),
  start: platformAdminProcedure("run batch upgrades")
    .input(batchUpgradeInput)
    .output(batchSchema)
    .mutation(async ({ ctx, input, signal }) => {
      if (input.dryRun) throw new TRPCError({ code: "BAD_REQUEST", message: "a dry run is batches.preview" });
      return submit(ctx.domain, { kind: "upgrade", input }, input.async, signal);
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
    .mutation(({ ctx, input, signal }) => submit(ctx.domain, { kind: "rollback", batchId: input.batchId }, input.async, signal)),
  /** Live progress: the same events as GET /helm/batches/:id/events; reconnects resume from the last event id. */
  events: authedProcedure
    .input(batchRef.extend({ lastEventId: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullish() }))
    .subscription(async function* ({ ctx, input, signal }) {
      const stream = await openBatchEvents({
        ctx: ctx.domain,
        batchId: input.batchId,
        lastEventId: input.lastEventId ?? undefined,
        signal: AbortSignal.any([signal ?? new AbortController().signal, shutdownSignal()]),
      });
      try {
        for await (const { id, event } of stream) yield tracked(String(id), event);
      } finally {
        await stream.return();
      }
    }),
});
