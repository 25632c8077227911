import { and, eq, inArray, sql } from "drizzle-orm";
import type { BatchStatus, BatchView } from "@/contracts/batches";
import { batchItems, batches } from "@/server/db/schema";
import { requirePlatformAdmin } from "../access/rules";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { DomainContext } from "../context";
import { DomainError, notFound } from "../errors";
import { loadVisibleBatch, toBatchView, type BatchRow } from "./batch-view";
import { batchChanged, itemChanged } from "./record-batch-event";

type Control = "cancel" | "pause" | "resume";

const ALLOWED_FROM: Record<Control, readonly BatchStatus[]> = {
  cancel: ["QUEUED", "RUNNING", "PAUSED"],
  pause: ["QUEUED", "RUNNING"],
  resume: ["PAUSED"],
};

/**
 * cancel, pause and resume only change rows: the runner holding the batch reads the status
 * before each item, so the item in flight finishes and nothing else starts. Works from any
 * instance, whichever one runs the batch.
 */
export async function controlBatch({ ctx, batchId, action }: { ctx: DomainContext; batchId: string; action: Control }): Promise<BatchView> {
  requirePlatformAdmin(ctx.actor, `${action} batches`);
  await ctx.db.transaction(async (tx) => {
    const [batch] = await tx.select().from(batches).where(eq(batches.id, batchId)).for("update");
    if (!batch) throw notFound(`batch ${batchId}`);
    if (!ALLOWED_FROM[action].includes(batch.status)) {
      throw new DomainError("CONFLICT", `batch ${batchId} is ${batch.status}; it cannot ${action === "cancel" ? "be cancelled" : action === "pause" ? "be paused" : "be resumed"} (only when ${ALLOWED_FROM[action].join(" or ")})`, {
        extensions: { batchStatus: batch.status },
      });
    }
    let updated: BatchRow | undefined;
    if (action === "cancel") {
      [updated] = await tx.update(batches).set({ status: "CANCELLED", finishedAt: sql`now()` }).where(eq(batches.id, batchId)).returning();
      const cancelled = await tx
        .update(batchItems)
        .set({ status: "CANCELLED", error: "the batch was cancelled before this release was processed", finishedAt: sql`now()` })
        .where(and(eq(batchItems.batchId, batchId), inArray(batchItems.status, ["PENDING"])))
        .returning();
      for (const item of cancelled.sort((a, b) => a.position - b.position)) await itemChanged(tx, item);
    } else {
      const status: BatchStatus = action === "pause" ? "PAUSED" : batch.startedAt ? "RUNNING" : "QUEUED";
      [updated] = await tx.update(batches).set({ status }).where(eq(batches.id, batchId)).returning();
    }
    await batchChanged(tx, updated!);
    await recordAuditEvent(tx, ctx, { action: `batch.${action === "cancel" ? "cancelled" : action === "pause" ? "paused" : "resumed"}`, targetType: "batch", targetId: batchId, summary: { from: batch.status } });
  });
  const { batch, items } = await loadVisibleBatch(ctx.db, ctx.actor, batchId);
  return toBatchView(batch, items);
}
