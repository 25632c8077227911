import type { BatchEvent } from "@/contracts/batches";
import type { DbOrTx } from "@/server/db/client";
import { batchEvents } from "@/server/db/schema";
import { recordBatchItem, type BatchItemResult } from "@/server/observability/metrics";
import { batchState, toItemView, type BatchItemRow, type BatchRow } from "./batch-view";

/**
 * Appends to a batch's progress log. Called in the transaction of the change it reports, so
 * that every instance streaming from the log sees exactly the committed changes, in order.
 */
export async function recordBatchEvent(tx: DbOrTx, batchId: string, event: Exclude<BatchEvent, { type: "snapshot" }>): Promise<void> {
  await tx.insert(batchEvents).values({ batchId, payload: event });
}

export const batchChanged = (tx: DbOrTx, batch: BatchRow) => recordBatchEvent(tx, batch.id, { type: "batch", batch: batchState(batch) });

const SETTLED: Partial<Record<BatchItemRow["status"], BatchItemResult>> = { UPGRADED: "upgraded", FAILED: "failed", SKIPPED: "skipped", CANCELLED: "cancelled" };

/** Every item's change passes here, its settling included: so does the batch-items metric. */
export async function itemChanged(tx: DbOrTx, item: BatchItemRow): Promise<void> {
  await recordBatchEvent(tx, item.batchId, { type: "item", position: item.position, item: toItemView(item) });
  const settled = SETTLED[item.status];
  if (settled) recordBatchItem(settled);
}
