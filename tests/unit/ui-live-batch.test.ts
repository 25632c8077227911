import { describe, expect, it } from "vitest";
import { reduceBatch, reducePage, type BatchHeader, type ItemsPage } from "@/components/batches/live-batch";
import type { BatchCounts, BatchEvent, BatchItemView } from "@/contracts/batches";

const counts = (c: Partial<BatchCounts> = {}): BatchCounts => ({ total: 300, pending: 300, upgraded: 0, failed: 0, skipped: 0, cancelled: 0, ...c });
const item = (position: number, status: BatchItemView["status"] = "PENDING", tenantSlug = "acme"): BatchItemView => ({
  position,
  releaseId: `00000000-0000-4000-8000-${String(position).padStart(12, "0")}`,
  tenantSlug,
  releaseName: `r${position}`,
  namespace: "apps",
  fromVersion: "1.0.0",
  status,
  revision: null,
  error: null,
  reasonCode: null,
});
const header: BatchHeader = {
  id: "00000000-0000-4000-8000-0000000000aa",
  kind: "upgrade",
  chartName: "c",
  targetVersion: "1.1.0",
  status: "RUNNING",
  counts: counts(),
  options: {},
  rollbackOf: null,
  policyId: null,
  createdBy: "admin",
  createdAt: "2026-12-02T00:00:00.000Z",
  startedAt: "2026-12-02T00:00:01.000Z",
  finishedAt: null,
};
const itemEvent = (i: BatchItemView, c = counts()): BatchEvent => ({ type: "item", item: i, counts: c });
/** Positions 101–200 of an unfiltered batch of 300. */
const middlePage: ItemsPage = { items: Array.from({ length: 100 }, (_, k) => item(101 + k)), nextCursor: "next" };

describe("the live batch reducer", () => {
  it("takes the counts of every event from the server", () => {
    const next = reduceBatch(header, itemEvent(item(3, "UPGRADED"), counts({ pending: 299, upgraded: 1 })));
    expect(next.counts).toEqual(counts({ pending: 299, upgraded: 1 }));
    expect(next.status).toBe("RUNNING");
  });

  it("takes the batch's state and counts from a batch event, and everything but the items from a snapshot", () => {
    const ended = reduceBatch(header, { type: "batch", batch: { id: header.id, status: "PARTIALLY_FAILED", startedAt: header.startedAt, finishedAt: "2026-12-02T00:01:00.000Z" }, counts: counts({ pending: 0, upgraded: 298, failed: 2 }) });
    expect(ended).toMatchObject({ status: "PARTIALLY_FAILED", finishedAt: "2026-12-02T00:01:00.000Z", counts: { failed: 2 } });
    const snap = reduceBatch(header, { type: "snapshot", batch: { ...header, status: "PAUSED", items: [item(1)], itemsNext: "/x" } });
    expect(snap.status).toBe("PAUSED");
    expect(snap).not.toHaveProperty("items");
  });

  it("replaces an item on the page in place, and ignores one on another page", () => {
    const moved = reducePage(middlePage, itemEvent(item(150, "RUNNING")), {});
    expect(moved.stale).toBe(false);
    expect(moved.page.items[49]!.status).toBe("RUNNING");
    expect(moved.page.items).toHaveLength(100);
    const elsewhere = reducePage(middlePage, itemEvent(item(250, "FAILED")), {});
    expect(elsewhere).toEqual({ page: middlePage, stale: false });
  });

  it("reads a filtered page again when an item enters it or leaves it, never growing it", () => {
    const failedPage: ItemsPage = { items: [item(12, "FAILED"), item(40, "FAILED")], nextCursor: null };
    const entering = reducePage(failedPage, itemEvent(item(30, "FAILED")), { status: "FAILED" });
    expect(entering.stale).toBe(true);
    expect(entering.page.items).toHaveLength(2);
    const runningPage: ItemsPage = { items: [item(7, "RUNNING")], nextCursor: null };
    const leaving = reducePage(runningPage, itemEvent(item(7, "UPGRADED")), { status: "RUNNING" });
    expect(leaving.stale).toBe(true);
  });

  it("ignores items of another tenant than the filter, and a status past a full page's range", () => {
    const acme: ItemsPage = { items: [item(1), item(2)], nextCursor: "more" };
    expect(reducePage(acme, itemEvent(item(2, "RUNNING", "globex")), { tenant: "acme" }).stale).toBe(true);
    expect(reducePage(acme, itemEvent(item(9, "RUNNING", "globex")), { tenant: "acme" }).stale).toBe(false);
    expect(reducePage(acme, itemEvent(item(9, "FAILED")), { status: "FAILED" }).stale).toBe(false);
  });

  it("reads the page again after a snapshot (a reconnect from scratch)", () => {
    expect(reducePage(middlePage, { type: "snapshot", batch: { ...header, items: [], itemsNext: null } }, {}).stale).toBe(true);
  });
});
