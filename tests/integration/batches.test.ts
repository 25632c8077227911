import { and, count, eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { batchUpgradeInput, type BatchEventEnvelope } from "@/contracts/batches";
import { auditEvents, batches, batchItems, releases, revisions } from "@/server/db/schema";
import { seedDemo } from "@/server/db/seed/seed-demo";
import { createSimulatedDriver } from "@/server/deploy/simulated-driver";
import type { DeployDriver } from "@/server/deploy/driver";
import { claimBatch } from "@/server/domain/batches/batch-lease";
import { controlBatch } from "@/server/domain/batches/control-batch";
import { getBatch, listBatches } from "@/server/domain/batches/list-batches";
import { previewBatchUpgrade } from "@/server/domain/batches/preview-batch-upgrade";
import { rollbackBatch } from "@/server/domain/batches/rollback-batch";
import { runBatch as runBatchInline } from "@/server/domain/batches/run-batch";
import { submitBatch } from "@/server/domain/batches/submit-batch";
import { startBatchUpgrade } from "@/server/domain/batches/start-batch-upgrade";
import { openBatchEvents } from "@/server/domain/batches/stream-batch-events";
import { DomainError } from "@/server/domain/errors";
import { countReleasesByVersion } from "@/server/domain/fleet/count-releases-by-version";
import { sweepAbandonedOperations } from "@/server/domain/releases/sweep-abandoned-operations";
import { upgradeRelease } from "@/server/domain/releases/upgrade-release";
import type { Database } from "@/server/db/client";
import { DAYS } from "@/contracts/tenants";
import { allUpgradedBy, runUntilSettled as runBatchUntilSettled } from "../helpers/batches";
import { describeEachDatabase, platformAdmin, tenantAdminOf, viewerOf } from "../helpers/databases";
import { contextFor, givenChart, givenRelease, givenTenant } from "../helpers/fixtures";

const instant = createSimulatedDriver({ latencyMs: 0 });
const slow = createSimulatedDriver({ latencyMs: 60 });

const input = (chartName: string, targetVersion: string, extra: Record<string, unknown> = {}) => batchUpgradeInput.parse({ chartName, targetVersion, ...extra });

async function runBatch(db: Database, chartName: string, targetVersion: string, extra: Record<string, unknown> = {}, driver: DeployDriver = instant) {
  const { batch } = await submitBatch({ ctx: contextFor(db, platformAdmin, driver), request: { kind: "upgrade", input: input(chartName, targetVersion, extra) }, async: false });
  return { view: await getBatch({ ctx: contextFor(db), batchId: batch.id }), upgraded: await allUpgradedBy(db, batch.id) };
}

async function expectDomainError(promise: Promise<unknown>, code: DomainError["code"]) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe(code);
}

/** A small fleet of one chart: one release per tenant, tenants given as [environment, quota?]. */
async function givenFleet(db: Database, tenants: Array<{ environment: "development" | "staging" | "production"; quota?: { cpu: string }; maintenanceWindow?: { days: (typeof DAYS)[number][]; start: string; end: string } }>) {
  const chart = await givenChart(db, [{ version: "1.0.0" }, { version: "1.1.0" }]);
  const fleet = [];
  for (const t of tenants) {
    const tenant = await givenTenant(db, t);
    fleet.push({ tenant, release: await givenRelease(db, { tenantId: tenant.id, chartName: chart, chartVersion: "1.0.0" }) });
  }
  return { chart, fleet };
}

// Half a CPU per release at 1.0.0; 1.1.0 with replicaCount 3 needs 1.5 CPUs: a 1-CPU quota fails it.
const doomed = { environment: "production" as const, quota: { cpu: "1" } };
const bigger = { valuesOverride: { replicaCount: 3 } };

const batchRevisions = (db: Database, batchId: string) =>
  db.select({ releaseId: revisions.releaseId, revision: revisions.revision, status: revisions.status }).from(revisions).where(eq(revisions.batchId, batchId));

describeEachDatabase("batch upgrades", (getDb) => {
  it("the demo fleet shows the documented versions map, and its batch to 1.3.0 fails only umbrella's releases", async () => {
    const { db } = getDb();
    await seedDemo(db);
    const versions = await countReleasesByVersion({ ctx: contextFor(db), chartName: "matih-query-engine" });
    expect(Object.entries(versions)).toEqual([
      ["1.2.0", 15],
      ["1.3.0", 8],
      ["1.1.0", 2],
    ]);
    const { view, upgraded } = await runBatch(db, "matih-query-engine", "1.3.0", { ignoreWindows: true });
    expect(view.counts).toEqual({ total: 17, pending: 0, upgraded: 15, failed: 2, skipped: 0, cancelled: 0 });
    expect(view.status).toBe("PARTIALLY_FAILED");
    expect(view.items.filter((i) => i.status === "FAILED").map((i) => i.tenantSlug)).toEqual(["umbrella", "umbrella"]);
    expect(upgraded.map((r) => r.tenantSlug)).not.toContain("umbrella");
    expect(upgraded.every((r) => r.chartVersion === "1.3.0")).toBe(true);
    expect(await countReleasesByVersion({ ctx: contextFor(db), chartName: "matih-query-engine" })).toEqual({ "1.3.0": 23, "1.2.0": 2 });
  });

  it("a failing release in the middle is recorded FAILED with its reason while the others upgrade, in rollout order", async () => {
    const { db } = getDb();
    const { chart, fleet } = await givenFleet(db, [{ environment: "production" }, doomed, { environment: "development" }, { environment: "staging" }]);
    const { view, upgraded } = await runBatch(db, chart, "1.1.0", bigger);
    const slugs = fleet.map((f) => f.tenant.slug);
    const productionOrder = [slugs[0]!, slugs[1]!].sort();
    expect(view.items.map((i) => i.tenantSlug)).toEqual([slugs[2], slugs[3], ...productionOrder]);
    const failed = view.items.find((i) => i.status === "FAILED")!;
    expect(failed.releaseId).toBe(fleet[1]!.release.id);
    expect(failed.error).toMatch(/cpu .* > quota 1/);
    expect(failed.revision).toBe(2);
    expect(view).toMatchObject({ status: "PARTIALLY_FAILED", counts: { total: 4, upgraded: 3, failed: 1, pending: 0, skipped: 0 } });
    expect(upgraded.map((r) => r.id).sort()).toEqual([fleet[0], fleet[2], fleet[3]].map((f) => f!.release.id).sort());
    expect(view.startedAt).not.toBeNull();
    expect(view.finishedAt).not.toBeNull();
    // One revision per release from this batch: never twice.
    const rows = await batchRevisions(db, view.id);
    expect(rows.map((r) => r.releaseId).sort()).toEqual(fleet.map((f) => f.release.id).sort());
  });

  it("refuses a target that is not a published version (422) and callers other than platform admins (403)", async () => {
    const { db } = getDb();
    const { chart, fleet } = await givenFleet(db, [{ environment: "production" }]);
    await expectDomainError(startBatchUpgrade({ ctx: contextFor(db), input: input(chart, "9.9.9") }), "VALIDATION_FAILED");
    await expectDomainError(startBatchUpgrade({ ctx: contextFor(db, tenantAdminOf(fleet[0]!.tenant.id)), input: input(chart, "1.1.0") }), "FORBIDDEN");
  });

  it("maxFailures halts the batch: the rest are SKIPPED", async () => {
    const { db } = getDb();
    const { chart } = await givenFleet(db, [{ environment: "development" }, { ...doomed, environment: "staging" }, doomed, { environment: "production" }]);
    const { view } = await runBatch(db, chart, "1.1.0", { ...bigger, maxFailures: 2 });
    expect(view.items.map((i) => i.status)).toEqual(["UPGRADED", "FAILED", "FAILED", "SKIPPED"]);
    expect(view.items[3]!.error).toMatch(/maxFailures/);
    expect(view.status).toBe("PARTIALLY_FAILED");
  });

  it("a batch where every upgrade fails is FAILED", async () => {
    const { db } = getDb();
    const { chart } = await givenFleet(db, [doomed, doomed]);
    const { view, upgraded } = await runBatch(db, chart, "1.1.0", bigger);
    expect(view.status).toBe("FAILED");
    expect(upgraded).toEqual([]);
  });

  it("canary: the first N upgrade, the batch pauses until resumed, then finishes", async () => {
    const { db } = getDb();
    const { chart } = await givenFleet(db, [{ environment: "development" }, { environment: "staging" }, { environment: "production" }, { environment: "production" }]);
    const first = await runBatch(db, chart, "1.1.0", { canary: 1 });
    expect(first.view.status).toBe("PAUSED");
    expect(first.view.counts).toMatchObject({ upgraded: 1, pending: 3 });
    expect(first.upgraded).toHaveLength(1);
    await expectDomainError(controlBatch({ ctx: contextFor(db), batchId: first.view.id, action: "pause" }), "CONFLICT");
    const resumed = await controlBatch({ ctx: contextFor(db), batchId: first.view.id, action: "resume" });
    expect(resumed.status).toBe("RUNNING");
    await runBatchUntilSettled({ db, batchId: first.view.id, driver: instant });
    const done = await getBatch({ ctx: contextFor(db), batchId: first.view.id });
    expect(done).toMatchObject({ status: "SUCCEEDED", counts: { upgraded: 4, pending: 0 } });
  });

  it("cancel mid-way: the item in flight finishes, the rest are CANCELLED; a second cancel is 409", async () => {
    const { db } = getDb();
    const { chart } = await givenFleet(db, Array.from({ length: 6 }, () => ({ environment: "production" as const })));
    const batch = await startBatchUpgrade({ ctx: contextFor(db), input: input(chart, "1.1.0") });
    const running = runBatchUntilSettled({ db, batchId: batch.id, driver: slow });
    await expect.poll(async () => (await getBatch({ ctx: contextFor(db), batchId: batch.id })).counts.upgraded, { timeout: 10_000, interval: 20 }).toBeGreaterThanOrEqual(1);
    const cancelled = await controlBatch({ ctx: contextFor(db), batchId: batch.id, action: "cancel" });
    expect(cancelled.status).toBe("CANCELLED");
    await running;
    const view = await getBatch({ ctx: contextFor(db), batchId: batch.id });
    expect(view.status).toBe("CANCELLED");
    expect(view.items.some((i) => i.status === "CANCELLED")).toBe(true);
    expect(view.items.every((i) => ["UPGRADED", "CANCELLED"].includes(i.status))).toBe(true);
    // Cancelled rows are counted as cancelled (a part of skipped, by the documented sum).
    expect(view.counts.cancelled).toBe(view.items.filter((i) => i.status === "CANCELLED").length);
    expect(view.counts.skipped).toBe(view.counts.cancelled);
    expect((await batchRevisions(db, batch.id)).length).toBe(view.counts.upgraded);
    await expectDomainError(controlBatch({ ctx: contextFor(db), batchId: batch.id, action: "cancel" }), "CONFLICT");
  });

  it("pause stops after the item in flight; resume carries on from there", async () => {
    const { db } = getDb();
    const { chart } = await givenFleet(db, Array.from({ length: 5 }, () => ({ environment: "production" as const })));
    const batch = await startBatchUpgrade({ ctx: contextFor(db), input: input(chart, "1.1.0") });
    const running = runBatchUntilSettled({ db, batchId: batch.id, driver: slow });
    await expect.poll(async () => (await getBatch({ ctx: contextFor(db), batchId: batch.id })).counts.upgraded, { timeout: 10_000, interval: 20 }).toBeGreaterThanOrEqual(1);
    await controlBatch({ ctx: contextFor(db), batchId: batch.id, action: "pause" });
    await running;
    const paused = await getBatch({ ctx: contextFor(db), batchId: batch.id });
    expect(paused.status).toBe("PAUSED");
    expect(paused.items.some((i) => i.status === "RUNNING")).toBe(false);
    expect(paused.counts.pending).toBeGreaterThan(0);
    await controlBatch({ ctx: contextFor(db), batchId: batch.id, action: "resume" });
    await expectDomainError(controlBatch({ ctx: contextFor(db), batchId: batch.id, action: "resume" }), "CONFLICT");
    await runBatchUntilSettled({ db, batchId: batch.id, driver: instant });
    const done = await getBatch({ ctx: contextFor(db), batchId: batch.id });
    expect(done).toMatchObject({ status: "SUCCEEDED", counts: { upgraded: 5 } });
    expect((await batchRevisions(db, batch.id)).length).toBe(5);
  });

  it("a dry run answers per-release plans and records nothing", async () => {
    const { db } = getDb();
    const { chart, fleet } = await givenFleet(db, [{ environment: "development" }, doomed]);
    const tally = async () => ({
      revisions: Number((await db.select({ n: count() }).from(revisions))[0]!.n),
      audit: Number((await db.select({ n: count() }).from(auditEvents))[0]!.n),
      batches: Number((await db.select({ n: count() }).from(batches))[0]!.n),
    });
    const before = await tally();
    const preview = await previewBatchUpgrade({ ctx: contextFor(db), input: input(chart, "1.1.0", bigger) });
    expect(await tally()).toEqual(before);
    // Both go ahead; the production one with warnings (resources over quota, not yet tested in development).
    expect(preview.counts).toEqual({ total: 2, upgrade: 2, skip: 0, refuse: 0, warn: 1, overQuota: 1 });
    expect(preview.nextCursor).toBeNull();
    expect(preview.items.map((i) => i.releaseId)).toEqual(fleet.map((f) => f.release.id));
    expect(preview.items[1]!.plan!.checks.find((c) => c.id === "resources")).toMatchObject({ status: "warn" });
    expect(preview.items[0]!.plan!.diff).toContainEqual({ path: "replicaCount", op: "changed", from: 1, to: 3 });
  });

  it("rolling a batch back restores each release's revision from before the batch, as a batch of its own", async () => {
    const { db } = getDb();
    const { chart, fleet } = await givenFleet(db, [{ environment: "development" }, doomed, { environment: "production" }]);
    const { view } = await runBatch(db, chart, "1.1.0", bigger);
    const rollback = await rollbackBatch({ ctx: contextFor(db), batchId: view.id });
    expect(rollback).toMatchObject({ kind: "rollback", rollbackOf: view.id });
    await runBatchUntilSettled({ db, batchId: rollback.id, driver: instant });
    const done = await getBatch({ ctx: contextFor(db), batchId: rollback.id });
    expect(done).toMatchObject({ status: "SUCCEEDED", counts: { total: 2, upgraded: 2 } });
    for (const f of [fleet[0]!, fleet[2]!]) {
      const [row] = await db.select().from(releases).where(eq(releases.id, f.release.id));
      expect(row).toMatchObject({ chartVersion: "1.0.0", deployedRevision: 3, latestRevision: 3 });
      const [rev] = await db
        .select()
        .from(revisions)
        .where(and(eq(revisions.releaseId, f.release.id), eq(revisions.revision, 3)));
      expect(rev).toMatchObject({ operation: "rollback", description: "Rollback to 1", batchId: rollback.id });
    }
    // The failed release was never upgraded, so it is not rolled back.
    const [untouched] = await db.select().from(releases).where(eq(releases.id, fleet[1]!.release.id));
    expect(untouched!.latestRevision).toBe(2);
  });

  it("releases outside their tenant's maintenance window are SKIPPED unless ignoreWindows", async () => {
    const { db } = getDb();
    const today = DAYS[(new Date().getUTCDay() + 6) % 7]!;
    const closed = { days: DAYS.filter((d) => d !== today && d !== DAYS[(DAYS.indexOf(today) + 6) % 7]), start: "00:00", end: "00:01" };
    const { chart, fleet } = await givenFleet(db, [{ environment: "production", maintenanceWindow: closed }, { environment: "production" }]);
    const preview = await previewBatchUpgrade({ ctx: contextFor(db), input: input(chart, "1.1.0") });
    expect(preview.items.map((i) => [i.action, i.reasonCode])).toEqual([
      ["skip", "outside-window"],
      ["upgrade", null],
    ]);
    const first = await runBatch(db, chart, "1.1.0");
    const skipped = first.view.items.find((i) => i.releaseId === fleet[0]!.release.id)!;
    expect(skipped).toMatchObject({ status: "SKIPPED", revision: null });
    expect(skipped.error).toMatch(/outside the maintenance window/);
    expect(skipped.reasonCode).toBe("outside-window");
    expect(first.view.items.find((i) => i.releaseId === fleet[1]!.release.id)!.reasonCode).toBeNull();
    expect(first.view.status).toBe("SUCCEEDED");
    const second = await runBatch(db, chart, "1.1.0", { ignoreWindows: true });
    expect(second.view.items).toEqual([expect.objectContaining({ releaseId: fleet[0]!.release.id, status: "UPGRADED" })]);
  });

  it("an item left RUNNING by a dead runner is reconciled from its revision, not upgraded again", async () => {
    const { db } = getDb();
    const { chart, fleet } = await givenFleet(db, [{ environment: "production" }, { environment: "production" }]);
    const batch = await startBatchUpgrade({ ctx: contextFor(db), input: input(chart, "1.1.0") });
    // A runner claimed it, marked the first item RUNNING, upgraded its release, then died before recording the result.
    expect(await claimBatch(db, "dead-runner", { batchId: batch.id })).toBeDefined();
    const [first] = await db.update(batchItems).set({ status: "RUNNING" }).where(and(eq(batchItems.batchId, batch.id), eq(batchItems.position, 0))).returning();
    await db.update(batches).set({ status: "RUNNING", startedAt: sql`now()` }).where(eq(batches.id, batch.id));
    await upgradeRelease({ ctx: contextFor(db), input: { releaseId: first!.releaseId, chartVersion: "1.1.0", valuesStrategy: "reset-then-reuse", atomic: false, acknowledgeBreakingChanges: false }, batchId: batch.id });
    expect(await claimBatch(db, "second-runner", { batchId: batch.id })).toBeUndefined();
    await db.update(batches).set({ runnerLeaseExpiresAt: sql`now() - interval '1 second'` }).where(eq(batches.id, batch.id));

    await runBatchUntilSettled({ db, batchId: batch.id, driver: instant });
    const view = await getBatch({ ctx: contextFor(db), batchId: batch.id });
    expect(view).toMatchObject({ status: "SUCCEEDED", counts: { upgraded: 2 } });
    expect(view.items[0]).toMatchObject({ status: "UPGRADED", revision: 2 });
    const rows = await batchRevisions(db, batch.id);
    expect(rows.map((r) => r.releaseId).sort()).toEqual(fleet.map((f) => f.release.id).sort());
    const latest = await db.select({ latest: releases.latestRevision }).from(releases).where(eq(releases.id, first!.releaseId));
    expect(latest[0]!.latest).toBe(2);
  });

  it("a batch cancelled while its runner was dead settles the item that runner left RUNNING", async () => {
    const { db } = getDb();
    const { chart } = await givenFleet(db, [{ environment: "production" }, { environment: "production" }]);
    const batch = await startBatchUpgrade({ ctx: contextFor(db), input: input(chart, "1.1.0") });
    await claimBatch(db, "dead-runner", { batchId: batch.id });
    await db.update(batchItems).set({ status: "RUNNING" }).where(and(eq(batchItems.batchId, batch.id), eq(batchItems.position, 0)));
    await db.update(batches).set({ status: "RUNNING", startedAt: sql`now()` }).where(eq(batches.id, batch.id));
    await controlBatch({ ctx: contextFor(db), batchId: batch.id, action: "cancel" });
    await db.update(batches).set({ runnerLeaseExpiresAt: sql`now() - interval '1 second'` }).where(eq(batches.id, batch.id));
    expect(await claimBatch(db, "next-runner", { batchId: batch.id })).toBeDefined();
    await runBatchInline({ db, batchId: batch.id, runnerId: "next-runner", driver: instant });
    const view = await getBatch({ ctx: contextFor(db), batchId: batch.id });
    expect(view.status).toBe("CANCELLED");
    expect(view.items.map((i) => i.status)).toEqual(["CANCELLED", "CANCELLED"]);
    expect(await batchRevisions(db, batch.id)).toEqual([]);
    expect(await claimBatch(db, "another-runner", { batchId: batch.id })).toBeUndefined();
  });

  it("the periodic sweep marks FAILED a pending operation whose lease expired", async () => {
    const { db } = getDb();
    const { chart, fleet } = await givenFleet(db, [{ environment: "production" }]);
    const hanging = { name: "hanging", apply: () => new Promise<never>(() => {}) };
    const releaseId = fleet[0]!.release.id;
    void upgradeRelease({ ctx: contextFor(db, undefined, hanging), input: { releaseId, chartVersion: "1.1.0", valuesStrategy: "reset-then-reuse", atomic: false, acknowledgeBreakingChanges: false } });
    await expect.poll(async () => (await db.select().from(releases).where(eq(releases.id, releaseId)))[0]!.status).toBe("PENDING_UPGRADE");
    expect(await sweepAbandonedOperations({ ctx: contextFor(db) })).toBe(0);
    await db.update(releases).set({ leaseExpiresAt: sql`now() - interval '1 second'` }).where(eq(releases.id, releaseId));
    expect(await sweepAbandonedOperations({ ctx: contextFor(db) })).toBeGreaterThanOrEqual(1);
    const [row] = await db.select().from(releases).where(eq(releases.id, releaseId));
    expect(row).toMatchObject({ status: "FAILED", pendingRevision: null, chartVersion: "1.0.0" });
    expect(chart).toBeTruthy();
  });

  it("runners racing for one batch upgrade each release exactly once", async () => {
    const { db, kind, url } = getDb();
    const { openPostgres } = await import("@/server/db/client");
    const other = kind === "postgres" ? await openPostgres(url!) : undefined;
    try {
      const { chart, fleet } = await givenFleet(db, Array.from({ length: 6 }, () => ({ environment: "production" as const })));
      const batch = await startBatchUpgrade({ ctx: contextFor(db), input: input(chart, "1.1.0") });
      await Promise.all([
        runBatchUntilSettled({ db, batchId: batch.id, driver: slow }),
        runBatchUntilSettled({ db: other?.db ?? db, batchId: batch.id, driver: slow }),
        runBatchUntilSettled({ db, batchId: batch.id, driver: slow }),
      ]);
      const rows = await batchRevisions(db, batch.id);
      expect(rows.map((r) => r.releaseId).sort()).toEqual(fleet.map((f) => f.release.id).sort());
      expect((await getBatch({ ctx: contextFor(db), batchId: batch.id })).status).toBe("SUCCEEDED");
    } finally {
      await other?.close();
    }
  });

  it("streams a snapshot then every change until the end; Last-Event-ID resumes without loss", async () => {
    const { db } = getDb();
    const { chart } = await givenFleet(db, [{ environment: "production" }, doomed, { environment: "production" }]);
    const batch = await startBatchUpgrade({ ctx: contextFor(db), input: input(chart, "1.1.0", bigger) });
    const collect = async (lastEventId?: number, stopAfter = Infinity) => {
      const seen: BatchEventEnvelope[] = [];
      for await (const e of await openBatchEvents({ ctx: contextFor(db), batchId: batch.id, lastEventId, signal: new AbortController().signal })) {
        seen.push(e);
        if (seen.length >= stopAfter) break;
      }
      return seen;
    };
    const live = collect();
    await runBatchUntilSettled({ db, batchId: batch.id, driver: slow });
    const events = await live;
    expect(events[0]!.event.type).toBe("snapshot");
    const last = events.at(-1)!.event;
    expect(last).toMatchObject({ type: "batch", batch: { status: "PARTIALLY_FAILED" } });
    const finalItems = events.filter((e) => e.event.type === "item").map((e) => e.event as Extract<BatchEventEnvelope["event"], { type: "item" }>);
    expect(finalItems.filter((e) => e.item.status === "RUNNING")).toHaveLength(3);
    expect(finalItems.filter((e) => e.item.status !== "RUNNING").map((e) => e.item.status)).toEqual(["UPGRADED", "FAILED", "UPGRADED"]);
    const ids = events.slice(1).map((e) => e.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);

    // A finished batch: the snapshot, then the stream ends at once.
    const after = await collect();
    expect(after).toHaveLength(1);
    expect(after[0]!.event).toMatchObject({ type: "snapshot", batch: { status: "PARTIALLY_FAILED" } });
    // Resuming from the third event replays exactly the rest.
    const resumed = await collect(events[2]!.id);
    expect(resumed.map((e) => e.id)).toEqual(events.slice(3).map((e) => e.id));
  });

  it("tenant-scoped callers see only their own items, and 404 for a batch without any", async () => {
    const { db } = getDb();
    const { chart, fleet } = await givenFleet(db, [{ environment: "production" }, { environment: "production" }]);
    const outsider = await givenTenant(db);
    const { view } = await runBatch(db, chart, "1.1.0");
    const mine = await getBatch({ ctx: contextFor(db, viewerOf(fleet[0]!.tenant.id)), batchId: view.id });
    expect(mine.items.map((i) => i.releaseId)).toEqual([fleet[0]!.release.id]);
    expect(mine.counts.total).toBe(1);
    await expectDomainError(getBatch({ ctx: contextFor(db, viewerOf(outsider.id)), batchId: view.id }), "NOT_FOUND");
    const listed = await listBatches({ ctx: contextFor(db, viewerOf(outsider.id)), query: {} });
    expect(listed.items.map((b) => b.id)).not.toContain(view.id);
    const adminList = await listBatches({ ctx: contextFor(db), query: { limit: 1 } });
    expect(adminList.items).toHaveLength(1);
    expect(adminList.nextCursor).not.toBeNull();
    await expectDomainError(controlBatch({ ctx: contextFor(db, tenantAdminOf(fleet[0]!.tenant.id)), batchId: view.id, action: "cancel" }), "FORBIDDEN");
  });
});
