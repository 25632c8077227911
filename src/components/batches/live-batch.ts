import type { BatchEvent, BatchItemStatus, BatchItemView, BatchView } from "@/contracts/batches";

/** The batch without its items: the page of items is held (and paged) on its own. */
export type BatchHeader = Omit<BatchView, "items" | "itemsNext">;
export interface ItemFilter {
  status?: BatchItemStatus;
  tenant?: string;
}
export interface ItemsPage {
  items: BatchItemView[];
  nextCursor: string | null;
}

/** The batch's state and counts after one event: the counts are the server's, never recounted here. */
export function reduceBatch<B extends BatchHeader>(batch: B, event: BatchEvent): B {
  switch (event.type) {
    case "snapshot": {
      const { items: _items, itemsNext: _next, ...header } = event.batch;
      return { ...batch, ...header };
    }
    case "batch":
      return { ...batch, ...event.batch, counts: event.counts };
    case "item":
      return { ...batch, counts: event.counts };
  }
}

export const matchesFilter = (item: Pick<BatchItemView, "status" | "tenantSlug">, filter: ItemFilter) =>
  (!filter.status || item.status === filter.status) && (!filter.tenant || item.tenantSlug === filter.tenant);

/**
 * The page on screen after one event. An item on the page is replaced in place. The page is
 * `stale` (to be read again from the server) when the event changes which items belong on
 * it: an item leaves the filter, or enters it at a position the page covers. The page never
 * grows here: it stays the server's page, so memory holds one page whatever the batch size.
 */
export function reducePage(page: ItemsPage, event: BatchEvent, filter: ItemFilter): { page: ItemsPage; stale: boolean } {
  if (event.type === "snapshot") return { page, stale: true };
  if (event.type !== "item") return { page, stale: false };
  const { item } = event;
  const at = page.items.findIndex((i) => i.position === item.position);
  const fits = matchesFilter(item, filter);
  if (at >= 0) {
    return fits ? { page: { ...page, items: page.items.with(at, item) }, stale: false } : { page, stale: true };
  }
  if (!fits) return { page, stale: false };
  const last = page.items.at(-1);
  const first = page.items[0];
  // Unfiltered pages hold every position of their range already; a filtered one gains items.
  const covers = !last || !page.nextCursor || item.position <= last.position;
  return { page, stale: covers && (filter.status !== undefined || !first || item.position >= first.position) };
}
