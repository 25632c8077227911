import { eq, sql } from "drizzle-orm";
import type { BatchStatus, BatchView } from "@/contracts/batches";
import { batches } from "@/server/db/schema";
import { requirePlatformAdmin } from "../access/rules";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { DomainContext } from "../context";
import { DomainError, notFound } from "../errors";
import { emitBatchEvent, type BatchWebhookEvent } from "../webhooks/emit-batch-event";
import { loadBatchView, scopeOf } from "./batch-view";
import { BatchChangeRefused, commitBatchChange, statusIn, type BatchChange } from "./record-batch-event";

type Control = "cancel" | "pause" | "resume";

const ALLOWED_FROM: Record<Control, readonly BatchStatus[]> = {
  cancel: ["QUEUED", "RUNNING", "PAUSED"],
  pause: ["QUEUED", "RUNNING"],
  resume: ["PAUSED"],
};
const PAST = { cancel: "cancelled", pause: "paused", resume: "resumed" } as const;
// A cancelled batch has finished; a resumed one reports nothing until it finishes.
const WEBHOOK_EVENT: Record<Control, BatchWebhookEvent | null> = { cancel: "batch.finished", pause: "batch.paused", resume: null };

function changeFor(batchId: string, action: Control): BatchChange {
  const guard = statusIn(...ALLOWED_FROM[action]);
  if (action === "cancel") {
    return {
      batchId,
      guard,
      items: sql`update batch_items set status = 'CANCELLED', error = 'the batch was cancelled before this release was processed', finished_at = now() where batch_id = ${batchId} and status = 'PENDING' returning *`,
      set: { status: sql`'CANCELLED'`, finished_at: sql`now()` },
      batchEvent: true,
    };
  }
  const status = action === "pause" ? sql`'PAUSED'` : sql`case when batches.started_at is null then 'QUEUED' else 'RUNNING' end`;
  return { batchId, guard, set: { status }, batchEvent: true };
}

/**
 * cancel, pause and resume only change rows, from any instance: the runner holding the
 * batch sees the new status in its next item's transaction, so the items in flight finish
 * and nothing else starts. The status is checked in the same statement that changes it.
 */
export async function controlBatch({ ctx, batchId, action }: { ctx: DomainContext; batchId: string; action: Control }): Promise<BatchView> {
  requirePlatformAdmin(ctx.actor, `${action} batches`);
  const [before] = await ctx.db.select({ status: batches.status }).from(batches).where(eq(batches.id, batchId));
  if (!before) throw notFound(`batch ${batchId}`);
  try {
    await ctx.db.transaction(async (tx) => {
      await commitBatchChange(tx, changeFor(batchId, action));
      await recordAuditEvent(tx, ctx, { action: `batch.${PAST[action]}`, targetType: "batch", targetId: batchId, summary: { from: before.status } });
      const event = WEBHOOK_EVENT[action];
      if (event) await emitBatchEvent(tx, event, batchId);
    });
  } catch (e) {
    if (!(e instanceof BatchChangeRefused)) throw e;
    const [now] = await ctx.db.select({ status: batches.status }).from(batches).where(eq(batches.id, batchId));
    const status = now?.status ?? before.status;
    const verb = action === "cancel" ? "be cancelled" : action === "pause" ? "be paused" : "be resumed";
    throw new DomainError("CONFLICT", `batch ${batchId} is ${status}; it cannot ${verb} (only when ${ALLOWED_FROM[action].join(" or ")})`, { extensions: { batchStatus: status } });
  }
  return loadBatchView(ctx.db, scopeOf(ctx.actor), batchId);
}
