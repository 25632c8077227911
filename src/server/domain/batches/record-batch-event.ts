import type { BatchEvent } from "@/contracts/batches";
import type { DbOrTx } from "@/server/db/client";
import { batchEvents } from "@/server/db/schema";
import { batchState, toItemView, type BatchItemRow, type BatchRow } from "./batch-view";

/**
 * Appends to a batch's progress log. Called in the transaction of the change it reports, so
 * that every instance streaming from the log sees exactly the committed changes, in order.
 */
export async function recordBatchEvent(tx: DbOrTx, batchId: string, event: Exclude<BatchEvent, { type: "snapshot" }>): Promise<void> {
  await tx.insert(batchEvents).values({ batchId, payload: event });
}

export const batchChanged = (tx: DbOrTx, batch: BatchRow) => recordBatchEvent(tx, batch.id, { type: "batch", batch: batchState(batch) });

export const itemChanged = (tx: DbOrTx, item: BatchItemRow) => recordBatchEvent(tx, item.batchId, { type: "item", position: item.position, item: toItemView(item) });
