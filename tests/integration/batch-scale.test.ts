import { setTimeout as sleep } from "node:timers/promises";
import { count, eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { batchUpgradeInput, type BatchEventEnvelope } from "@/contracts/batches";
import { batchItems, batches, revisions } from "@/server/db/schema";
import type { DeployDriver, DeployRequest } from "@/server/deploy/driver";
import { controlBatch } from "@/server/domain/batches/control-batch";
import { getBatch, listBatches, listBatchItems } from "@/server/domain/batches/list-batches";
import { previewBatchUpgrade } from "@/server/domain/batches/preview-batch-upgrade";
import { openBatchEvents, MAX_STREAMS_PER_ACTOR } from "@/server/domain/batches/stream-batch-events";
import { submitBatch } from "@/server/domain/batches/submit-batch";
import { DomainError } from "@/server/domain/errors";
import type { Database } from "@/server/db/client";
import { runUntilSettled } from "../helpers/batches";
import { describeEachDatabase, platformAdmin, viewerOf } from "../helpers/databases";
import { contextFor, givenChart, givenRelease, givenTenant } from "../helpers/fixtures";

type Environment = "development" | "staging" | "production";

/**
 * A fake deploy driver (the outer edge) that records, on a logical clock, when each apply
 * started and ended, and flags two applies of one release at the same time.
 */
function recordingDriver({ latencyMs = 15, fail = () => false }: { latencyMs?: number; fail?: (r: DeployRequest) => boolean } = {}) {
  let clock = 0;
  const running = new Set<string>();
  const applies: Array<{ releaseId: string; environment: string; start: number; end: number }> = [];
  const overlaps: string[] = [];
  let current = 0;
  let maxConcurrent = 0;
  const driver: DeployDriver = {
    name: "recording (test fake)",
    async apply(request) {
      if (running.has(request.release.id)) overlaps.push(request.release.id);
      running.add(request.release.id);
      maxConcurrent = Math.max(maxConcurrent, ++current);
      const start = ++clock;
      await sleep(latencyMs);
      current -= 1;
      running.delete(request.release.id);
      applies.push({ releaseId: request.release.id, environment: request.tenant.environment, start, end: ++clock });
      return fail(request) ? { ok: false, error: "refused by the test driver" } : { ok: true };
    },
  };
  return { driver, applies, overlaps, maxConcurrent: () => maxConcurrent };
}

/** Tenants of the given environments, each with `perTenant` releases of one new chart at 1.0.0. */
async function givenWaves(db: Database, environments: Environment[], perTenant: number) {
  const chart = await givenChart(db, [{ version: "1.0.0" }, { version: "1.1.0" }]);
  const tenants = [];
  for (const environment of environments) {
    const tenant = await givenTenant(db, { environment });
    const releases = [];
    for (let i = 0; i < perTenant; i++) releases.push(await givenRelease(db, { tenantId: tenant.id, chartName: chart, chartVersion: "1.0.0", name: `app-${i}` }));
    tenants.push({ tenant, releases });
  }
  return { chart, tenants };
}

const input = (chartName: string, extra: Record<string, unknown> = {}) => batchUpgradeInput.parse({ chartName, targetVersion: "1.1.0", ...extra });

async function run(db: Database, chartName: string, extra: Record<string, unknown>, driver: DeployDriver) {
  const { batch } = await submitBatch({ ctx: contextFor(db, platformAdmin, driver), request: { kind: "upgrade", input: input(chartName, extra) }, async: false });
  return batch;
}

async function collect(db: Database, actor = platformAdmin, batchId: string, lastEventId?: number) {
  const seen: BatchEventEnvelope[] = [];
  for await (const e of await openBatchEvents({ ctx: contextFor(db, actor), batchId, lastEventId, signal: new AbortController().signal })) seen.push(e);
  return seen;
}

async function expectRecountMatches(db: Database, batchId: string) {
  const [row] = await db.select().from(batches).where(eq(batches.id, batchId));
  const tallies = await db.select({ status: batchItems.status, n: count() }).from(batchItems).where(eq(batchItems.batchId, batchId)).groupBy(batchItems.status);
  const n = (...statuses: string[]) => tallies.filter((t) => statuses.includes(t.status)).reduce((a, t) => a + Number(t.n), 0);
  expect({ total: row!.itemsTotal, pending: row!.itemsPending, upgraded: row!.itemsUpgraded, failed: row!.itemsFailed, skipped: row!.itemsSkipped }).toEqual({
    total: n("PENDING", "RUNNING", "UPGRADED", "FAILED", "SKIPPED", "CANCELLED"),
    pending: n("PENDING", "RUNNING"),
    upgraded: n("UPGRADED"),
    failed: n("FAILED"),
    skipped: n("SKIPPED", "CANCELLED"),
  });
}

describeEachDatabase("batches at scale: concurrency, waves and bounded reads", (getDb) => {
  it("concurrency runs up to N items at once within a wave, never starts a wave early, never two operations on one release", async () => {
    const { db } = getDb();
    const { chart, tenants } = await givenWaves(db, ["production", "development", "staging", "development", "production", "staging"], 4);
    const recording = recordingDriver();
    const batch = await run(db, chart, { concurrency: 8 }, recording.driver);
    const view = await getBatch({ ctx: contextFor(db), batchId: batch.id });
    expect(view).toMatchObject({ status: "SUCCEEDED", counts: { total: 24, upgraded: 24, pending: 0 } });
    expect(recording.overlaps).toEqual([]);
    expect(recording.maxConcurrent()).toBeGreaterThan(1);
    expect(recording.maxConcurrent()).toBeLessThanOrEqual(8);
    const rank = { development: 0, staging: 1, production: 2 } as Record<string, number>;
    for (const later of recording.applies) {
      for (const earlier of recording.applies.filter((a) => rank[a.environment]! < rank[later.environment]!)) expect(later.start).toBeGreaterThan(earlier.end);
    }
    const perRelease = await db.select({ releaseId: revisions.releaseId, n: count() }).from(revisions).where(eq(revisions.batchId, batch.id)).groupBy(revisions.releaseId);
    expect(perRelease).toHaveLength(24);
    expect(perRelease.every((r) => Number(r.n) === 1)).toBe(true);
    expect(tenants).toHaveLength(6);
    await expectRecountMatches(db, batch.id);
  });

  it("canary with concurrency starts only the first N, pauses once they have settled, and never pauses again after resume", async () => {
    const { db } = getDb();
    const { chart } = await givenWaves(db, ["development", "production"], 5);
    const recording = recordingDriver();
    const batch = await run(db, chart, { concurrency: 8, canary: 3 }, recording.driver);
    const paused = await getBatch({ ctx: contextFor(db), batchId: batch.id });
    expect(paused).toMatchObject({ status: "PAUSED", counts: { upgraded: 3, pending: 7 } });
    expect(recording.applies).toHaveLength(3);
    expect(paused.items.slice(0, 3).map((i) => i.status)).toEqual(["UPGRADED", "UPGRADED", "UPGRADED"]);
    await controlBatch({ ctx: contextFor(db), batchId: batch.id, action: "resume" });
    await runUntilSettled({ db, batchId: batch.id, driver: recording.driver });
    expect(await getBatch({ ctx: contextFor(db), batchId: batch.id })).toMatchObject({ status: "SUCCEEDED", counts: { upgraded: 10 } });
    await expectRecountMatches(db, batch.id);
  });

  it("maxFailures with concurrency stops starting items once reached; the items in flight finish", async () => {
    const { db } = getDb();
    const { chart } = await givenWaves(db, ["production", "production"], 6);
    const recording = recordingDriver({ fail: () => true });
    const batch = await run(db, chart, { concurrency: 4, maxFailures: 2 }, recording.driver);
    const view = await getBatch({ ctx: contextFor(db), batchId: batch.id });
    expect(view.status).toBe("FAILED");
    expect(view.counts.failed).toBeGreaterThanOrEqual(2);
    expect(recording.applies.length).toBe(view.counts.failed);
    expect(recording.applies.length).toBeLessThanOrEqual(2 + 4 - 1);
    expect(view.counts.skipped).toBe(12 - view.counts.failed);
    await expectRecountMatches(db, batch.id);
  });

  it("a tenant sees a shared batch as its own: positions 1…n, its counts, dense event ids that resume without loss", async () => {
    const { db } = getDb();
    const { chart, tenants } = await givenWaves(db, ["development", "staging", "production"], 3);
    const middle = tenants[1]!;
    const batch = await run(db, chart, { concurrency: 2 }, recordingDriver().driver);
    const viewer = viewerOf(middle.tenant.id);
    const mine = await getBatch({ ctx: contextFor(db, viewer), batchId: batch.id });
    expect(mine.items.map((i) => i.position)).toEqual([1, 2, 3]);
    expect(mine.items.map((i) => i.releaseId).sort()).toEqual(middle.releases.map((r) => r.id).sort());
    expect(mine.counts).toEqual({ total: 3, pending: 0, upgraded: 3, failed: 0, skipped: 0, cancelled: 0 });

    // Replayed from the start, the tenant's events are numbered 1, 2, 3 … and carry its own counts only.
    const events = await collect(db, viewer, batch.id, 0);
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    const items = events.flatMap((e) => (e.event.type === "item" ? [e.event] : []));
    expect(items.every((e) => middle.releases.some((r) => r.id === e.item.releaseId))).toBe(true);
    expect(new Set(items.map((e) => e.item.position))).toEqual(new Set([1, 2, 3]));
    expect(events.every((e) => e.event.type === "snapshot" || e.event.counts.total === 3)).toBe(true);
    expect(events.at(-1)!.event).toMatchObject({ type: "batch", batch: { status: "SUCCEEDED" }, counts: { upgraded: 3, pending: 0 } });
    const resumed = await collect(db, viewer, batch.id, 3);
    expect(resumed.map((e) => e.id)).toEqual(events.slice(3).map((e) => e.id));
    expect(resumed.map((e) => e.event)).toEqual(events.slice(3).map((e) => e.event));
    // A fresh stream: the snapshot's id is the number of events it reflects.
    const fresh = await collect(db, viewer, batch.id);
    expect(fresh).toHaveLength(1);
    expect(fresh[0]!.id).toBe(events.length);

    // The platform admin's numbering covers everything, also without gaps.
    const all = await collect(db, platformAdmin, batch.id, 0);
    expect(all.map((e) => e.id)).toEqual(all.map((_, i) => i + 1));
    expect(all.at(-1)!.event).toMatchObject({ counts: { total: 9, upgraded: 9 } });
  });

  it("a tenant's view of a batch that failed elsewhere has the status its own counts imply, live and afterwards", async () => {
    const { db } = getDb();
    const { chart, tenants } = await givenWaves(db, ["development", "production"], 2);
    const [ok, failing] = [tenants[0]!, tenants[1]!];
    const batch = await run(db, chart, {}, recordingDriver({ latencyMs: 0, fail: (r) => r.tenant.id === failing.tenant.id && r.release.name === "app-0" }).driver);
    expect((await getBatch({ ctx: contextFor(db), batchId: batch.id })).status).toBe("PARTIALLY_FAILED");
    const okViewer = viewerOf(ok.tenant.id);
    const mine = await getBatch({ ctx: contextFor(db, okViewer), batchId: batch.id });
    expect(mine).toMatchObject({ status: "SUCCEEDED", counts: { total: 2, upgraded: 2, failed: 0 } });
    expect((await listBatches({ ctx: contextFor(db, okViewer), query: { limit: 10 } })).items.find((b) => b.id === batch.id)?.status).toBe("SUCCEEDED");
    expect((await collect(db, okViewer, batch.id, 0)).at(-1)!.event).toMatchObject({ type: "batch", batch: { status: "SUCCEEDED" } });
    expect((await getBatch({ ctx: contextFor(db, viewerOf(failing.tenant.id)), batchId: batch.id })).status).toBe("PARTIALLY_FAILED");
    // Items name their release by tenant, namespace and name, in the page, the batch and the events alike.
    expect(mine.items.map((i) => i.namespace)).toEqual(["default", "default"]);
    const events = await collect(db, platformAdmin, batch.id, 0);
    expect(events.flatMap((e) => (e.event.type === "item" ? [e.event.item.namespace] : [])).every((ns) => ns === "default")).toBe(true);
  });

  it("items page in processing order, by status and tenant, with the caller's own positions in cursors", async () => {
    const { db } = getDb();
    const { chart, tenants } = await givenWaves(db, ["development", "production"], 3);
    const batch = await run(db, chart, {}, recordingDriver({ latencyMs: 0, fail: (r) => r.release.name === "app-1" }).driver);
    const first = await listBatchItems({ ctx: contextFor(db), batchId: batch.id, query: { limit: 4 } });
    expect(first.items.map((i) => i.position)).toEqual([1, 2, 3, 4]);
    const second = await listBatchItems({ ctx: contextFor(db), batchId: batch.id, query: { limit: 4, cursor: first.nextCursor! } });
    expect(second.items.map((i) => i.position)).toEqual([5, 6]);
    expect(second.nextCursor).toBeNull();
    const failed = await listBatchItems({ ctx: contextFor(db), batchId: batch.id, query: { limit: 100, status: "FAILED" } });
    expect(failed.items.map((i) => i.releaseName)).toEqual(["app-1", "app-1"]);
    const prod = tenants[1]!.tenant;
    const byTenant = await listBatchItems({ ctx: contextFor(db), batchId: batch.id, query: { limit: 100, tenant: prod.slug } });
    expect(byTenant.items.map((i) => i.position)).toEqual([4, 5, 6]);
    const asTenant = await listBatchItems({ ctx: contextFor(db, viewerOf(prod.id)), batchId: batch.id, query: { limit: 2 } });
    expect(asTenant.items.map((i) => i.position)).toEqual([1, 2]);
    const rest = await listBatchItems({ ctx: contextFor(db, viewerOf(prod.id)), batchId: batch.id, query: { limit: 2, cursor: asTenant.nextCursor! } });
    expect(rest.items.map((i) => i.position)).toEqual([3]);
    await expect(listBatchItems({ ctx: contextFor(db, viewerOf(tenants[0]!.tenant.id)), batchId: batch.id, query: { limit: 10, tenant: prod.slug } })).resolves.toEqual({ items: [], nextCursor: null });
  });

  it("a dry run answers a page of plans with counts over every release; the cursor answers the next page", async () => {
    const { db } = getDb();
    const { chart } = await givenWaves(db, ["development", "production"], 3);
    const first = await previewBatchUpgrade({ ctx: contextFor(db), input: input(chart, { dryRun: true, limit: 4 }) });
    expect(first.items).toHaveLength(4);
    expect(first.counts).toMatchObject({ total: 6, upgrade: 6, skip: 0, refuse: 0 });
    // Production releases warn: the target does not run in development yet.
    expect(first.counts.warn).toBe(3);
    const second = await previewBatchUpgrade({ ctx: contextFor(db), input: input(chart, { dryRun: true, limit: 4, cursor: first.nextCursor! }) });
    expect(second.items).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
    expect(new Set([...first.items, ...second.items].map((i) => i.releaseId)).size).toBe(6);
  });

  it("rolling back a batch twice is a conflict, not a second round of revisions", async () => {
    const { db } = getDb();
    const { chart } = await givenWaves(db, ["production"], 2);
    const batch = await run(db, chart, {}, recordingDriver({ latencyMs: 0 }).driver);
    const { batch: rollback } = await submitBatch({ ctx: contextFor(db), request: { kind: "rollback", batchId: batch.id }, async: false });
    expect(rollback.status).toBe("SUCCEEDED");
    const before = await db.select({ n: count() }).from(revisions);
    const again = await submitBatch({ ctx: contextFor(db), request: { kind: "rollback", batchId: batch.id }, async: false }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(DomainError);
    expect((again as DomainError).code).toBe("CONFLICT");
    expect(await db.select({ n: count() }).from(revisions)).toEqual(before);
  });

  it("an internal failure shows tenants a generic reason, never its text", async () => {
    const { db } = getDb();
    const { chart, tenants } = await givenWaves(db, ["production"], 1);
    const broken: DeployDriver = {
      name: "broken (test fake)",
      apply: () => Promise.reject(new Error('insert into "secrets" values ($1) -- syntax error at or near "values"')),
    };
    const batch = await run(db, chart, {}, broken);
    const view = await getBatch({ ctx: contextFor(db, viewerOf(tenants[0]!.tenant.id)), batchId: batch.id });
    expect(view.items[0]!.status).toBe("FAILED");
    expect(view.items[0]!.error).toMatch(/failed: internal error/);
    expect(view.items[0]!.error).not.toMatch(/insert|secrets|syntax/);
    const [revision] = await db.select({ error: revisions.error }).from(revisions).where(eq(revisions.batchId, batch.id));
    expect(revision!.error).not.toMatch(/insert|secrets|syntax/);
  });

  it("a release whose start fails in the database fails alone: its step is made again item by item, and the others upgrade", async () => {
    const { db } = getDb();
    const { chart, tenants } = await givenWaves(db, ["production"], 8);
    const bad = tenants[0]!.releases[3]!;
    // The fault is the database's own: any write of this one release's row raises, as a broken
    // constraint or trigger would, inside a step that also starts and settles its neighbours.
    await db.execute(sql.raw(`
      create function fail_one_release() returns trigger language plpgsql as $$
      begin
        if new.id = '${bad.id}' and new.pending_revision is not null then raise exception 'disk says no to %', new.id; end if;
        return new;
      end $$`));
    await db.execute(sql.raw(`create trigger fail_one_release before update on releases for each row execute function fail_one_release()`));
    try {
      const { driver, overlaps, maxConcurrent } = recordingDriver({ latencyMs: 5 });
      const batch = await run(db, chart, { concurrency: 4 }, driver);
      expect(batch.status).toBe("PARTIALLY_FAILED");
      const { items } = await listBatchItems({ ctx: contextFor(db, platformAdmin), batchId: batch.id, query: { limit: 100 } });
      const failed = items.filter((i) => i.status === "FAILED");
      expect(failed.map((i) => i.releaseId)).toEqual([bad.id]);
      expect(failed[0]!.error).toMatch(/internal error while processing this release \(reference batch:/);
      expect(failed[0]!.error).not.toMatch(/disk says no/);
      expect(items.filter((i) => i.status === "UPGRADED")).toHaveLength(7);
      expect(overlaps).toEqual([]);
      expect(maxConcurrent()).toBeLessThanOrEqual(4);
      await expectRecountMatches(db, batch.id);
    } finally {
      await db.execute(sql.raw(`drop trigger fail_one_release on releases`));
      await db.execute(sql.raw(`drop function fail_one_release()`));
    }
  });

  it("a caller may hold a bounded number of open event streams (429 beyond)", async () => {
    const { db } = getDb();
    const { chart } = await givenWaves(db, ["production"], 1);
    const { batch } = await submitBatch({ ctx: contextFor(db), request: { kind: "upgrade", input: input(chart) }, async: true });
    const streams = [];
    for (let i = 0; i < MAX_STREAMS_PER_ACTOR; i++) streams.push(await openBatchEvents({ ctx: contextFor(db), batchId: batch.id, signal: new AbortController().signal }));
    const refused = await openBatchEvents({ ctx: contextFor(db), batchId: batch.id, signal: new AbortController().signal }).catch((e: unknown) => e);
    expect((refused as DomainError).code).toBe("TOO_MANY_REQUESTS");
    await streams[0]!.return();
    const another = await openBatchEvents({ ctx: contextFor(db), batchId: batch.id, signal: new AbortController().signal });
    await Promise.all([another, ...streams.slice(1)].map((s) => s.return()));
  });
});
