import { asc, count, eq, sql } from "drizzle-orm";
import { afterEach, expect, it } from "vitest";
import { batchUpgradeInput } from "@/contracts/batches";
import { webhookEnvelope, type CreateWebhookInput } from "@/contracts/webhooks";
import { startWebhookRunner } from "@/server/bootstrap/webhook-runner";
import type { Database } from "@/server/db/client";
import { releases, webhookDeliveries, webhooks } from "@/server/db/schema";
import { controlBatch } from "@/server/domain/batches/control-batch";
import { submitBatch } from "@/server/domain/batches/submit-batch";
import { rollbackRelease } from "@/server/domain/releases/rollback-release";
import { upgradeRelease } from "@/server/domain/releases/upgrade-release";
import { deliverDueWebhooks, retryDelayMs, RETRY_BASE_MS, RETRY_MAX_MS } from "@/server/domain/webhooks/deliver-webhooks";
import { emitWebhookEvent } from "@/server/domain/webhooks/emit-webhook-event";
import { createWebhook, listDeliveries, sendTestEvent } from "@/server/domain/webhooks/manage-webhooks";
import { describeEachDatabase, platformAdmin, tenantAdminOf } from "../helpers/databases";
import { contextFor, givenChart, givenRelease, givenTenant } from "../helpers/fixtures";
import { signatureValid, startReceiver, type Received } from "../helpers/webhook-receiver";

const SECRET = "a-test-secret-of-enough-length";
const upgrade = (releaseId: string, chartVersion: string) => ({ releaseId, chartVersion, valuesStrategy: "reset-then-reuse" as const, atomic: false, acknowledgeBreakingChanges: false });

async function givenWebhook(db: Database, url: string, events: CreateWebhookInput["events"], actor = platformAdmin, extra: Partial<CreateWebhookInput> = {}) {
  return createWebhook({ ctx: contextFor(db, actor), input: { url, events, secret: SECRET, enabled: true, ...extra } });
}

const deliveriesOf = (db: Database, webhookId: string) => db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, webhookId)).orderBy(asc(webhookDeliveries.id));

/** Ticks the runner (real clock) until nothing due is left. */
async function deliverAll(db: Database) {
  while ((await deliverDueWebhooks({ db })) > 0);
}

/** Deliveries run concurrently, so they arrive in any order: sorted by delivery number, they follow the events. */
const inEventOrder = (received: Received[]) => [...received].sort((a, b) => Number(a.headers["x-helmdeck-delivery"]) - Number(b.headers["x-helmdeck-delivery"]));

async function runBatch(db: Database, chartName: string, targetVersion: string, extra: Record<string, unknown> = {}) {
  const { batch } = await submitBatch({
    ctx: contextFor(db),
    request: { kind: "upgrade", input: batchUpgradeInput.parse({ chartName, targetVersion, ignoreWindows: true, ...extra }) },
    async: false,
  });
  return batch;
}

describeEachDatabase("webhooks", (getDb) => {
  // Webhooks receive every later event of the database: each test leaves none behind.
  afterEach(async () => {
    await getDb().db.delete(webhooks).where(sql`true`);
  });

  it("a receiver gets chart.published, release.upgraded and batch.finished, each signed over its raw body", async () => {
    const { db } = getDb();
    const receiver = await startReceiver();
    try {
      const hook = await givenWebhook(db, `${receiver.url}/hooks`, ["chart.published", "release.upgraded", "batch.finished"]);
      expect(hook).not.toHaveProperty("secret");
      const chart = await givenChart(db, [{ version: "1.0.0" }, { version: "1.1.0" }, { version: "1.2.0" }]);
      const tenant = await givenTenant(db);
      const release = await givenRelease(db, { tenantId: tenant.id, chartName: chart, chartVersion: "1.0.0" });
      await upgradeRelease({ ctx: contextFor(db), input: upgrade(release.id, "1.1.0") });
      const batch = await runBatch(db, chart, "1.2.0");
      await deliverAll(db);

      const got = inEventOrder(receiver.received);
      expect(got.map((r) => r.body.type)).toEqual(["chart.published", "chart.published", "chart.published", "release.upgraded", "release.upgraded", "batch.finished"]);
      for (const r of got) {
        expect(signatureValid(SECRET, r.raw, r.headers["x-helmdeck-signature"])).toBe(true);
        expect(signatureValid("another-secret-entirely", r.raw, r.headers["x-helmdeck-signature"])).toBe(false);
        expect(webhookEnvelope.parse(r.body)).toEqual(r.body);
        expect(r.headers["x-helmdeck-event"]).toBe(r.body.type);
        expect(r.headers["content-type"]).toBe("application/json");
        expect(r.headers["x-helmdeck-delivery"]).toMatch(/^\d+$/);
      }
      expect(got[0]!.body.data).toEqual({ chartName: chart, version: "1.0.0", appVersion: "app-1.0.0", deprecated: false, source: "json" });
      expect(got[3]!.body.data).toEqual({
        operation: "upgrade",
        releaseId: release.id,
        releaseName: release.name,
        namespace: "default",
        tenantId: tenant.id,
        tenantSlug: tenant.slug,
        chartName: chart,
        fromVersion: "1.0.0",
        toVersion: "1.1.0",
        revision: 2,
        status: "DEPLOYED",
        batchId: null,
      });
      expect(got[4]!.body.data).toMatchObject({ toVersion: "1.2.0", fromVersion: "1.1.0", batchId: batch.id });
      expect(got[5]!.body.data).toEqual({
        batchId: batch.id,
        kind: "upgrade",
        chartName: chart,
        targetVersion: "1.2.0",
        status: "SUCCEEDED",
        counts: { total: 1, pending: 0, upgraded: 1, failed: 0, skipped: 0, cancelled: 0 },
      });
      const history = await listDeliveries({ ctx: contextFor(db), webhookId: hook.id, query: {} });
      expect(history.items.map((d) => [d.event, d.status, d.attempts, d.responseStatus])).toEqual([
        ["batch.finished", "DELIVERED", 1, 200],
        ["release.upgraded", "DELIVERED", 1, 200],
        ["release.upgraded", "DELIVERED", 1, 200],
        ["chart.published", "DELIVERED", 1, 200],
        ["chart.published", "DELIVERED", 1, 200],
        ["chart.published", "DELIVERED", 1, 200],
      ]);
      expect(history.items.map((d) => String(d.id))).toEqual([...got].reverse().map((r) => r.headers["x-helmdeck-delivery"]));
    } finally {
      await receiver.close();
    }
  });

  it("batch.started, batch.paused (canary and by hand), release.failed and release.rolled-back are emitted to their subscribers only", async () => {
    const { db } = getDb();
    const receiver = await startReceiver();
    try {
      const hook = await givenWebhook(db, receiver.url, ["batch.started", "batch.paused", "batch.finished", "release.failed", "release.rolled-back"]);
      const chart = await givenChart(db, [{ version: "1.0.0" }, { version: "1.1.0" }]);
      const ok = await givenTenant(db, { environment: "development" });
      const doomed = await givenTenant(db, { environment: "production", quota: { cpu: "1" } });
      const canary = await givenRelease(db, { tenantId: ok.id, chartName: chart, chartVersion: "1.0.0" });
      const failing = await givenRelease(db, { tenantId: doomed.id, chartName: chart, chartVersion: "1.0.0" });
      const canaried = await runBatch(db, chart, "1.1.0", { canary: 1, valuesOverride: { replicaCount: 3 } });
      expect(canaried.status).toBe("PAUSED");
      await controlBatch({ ctx: contextFor(db), batchId: canaried.id, action: "cancel" });
      const failed = await upgradeRelease({ ctx: contextFor(db), input: { ...upgrade(failing.id, "1.1.0"), valuesOverride: { replicaCount: 3 } } });
      expect(failed.revision.status).toBe("FAILED");
      const rolled = await rollbackRelease({ ctx: contextFor(db), input: { releaseId: canary.id } });
      expect(rolled.revision.status).toBe("DEPLOYED");
      await deliverAll(db);
      const got = inEventOrder(receiver.received);
      const types = got.map((r) => r.body.type);
      expect(types).toEqual(["batch.started", "batch.paused", "batch.finished", "release.failed", "release.rolled-back"]);
      expect(got[1]!.body.data).toMatchObject({ batchId: canaried.id, status: "PAUSED", counts: { total: 2, upgraded: 1, pending: 1 } });
      expect(got[2]!.body.data).toMatchObject({ batchId: canaried.id, status: "CANCELLED" });
      expect(got[3]!.body.data).toMatchObject({ operation: "upgrade", releaseId: failing.id, status: "FAILED", toVersion: "1.1.0" });
      // The driver's error text never leaves: it may quote values.
      expect(JSON.stringify(got[3]!.body)).not.toContain("cpu");
      expect(got[4]!.body.data).toMatchObject({ operation: "rollback", releaseId: canary.id, fromVersion: "1.1.0", toVersion: "1.0.0", revision: 3 });
      expect((await deliveriesOf(db, hook.id)).every((d) => d.status === "DELIVERED")).toBe(true);
    } finally {
      await receiver.close();
    }
  });

  it("a delivery answered 500 is retried after the backoff and then delivered; one answered with a redirect is not followed", async () => {
    const { db } = getDb();
    const receiver = await startReceiver((_, index) => (index === 0 ? 500 : 200));
    try {
      const hook = await givenWebhook(db, receiver.url, ["chart.published"]);
      await givenChart(db, [{ version: "1.0.0" }]);
      const t0 = Date.now() + 1000;
      const at = (ms: number) => () => new Date(t0 + ms);
      expect(await deliverDueWebhooks({ db, now: at(0), random: () => 0 })).toBe(1);
      let [row] = await deliveriesOf(db, hook.id);
      expect(row).toMatchObject({ status: "PENDING", attempts: 1, responseStatus: 500, lastError: "HTTP 500" });
      expect(row!.nextAttemptAt.getTime()).toBe(t0 + RETRY_BASE_MS);
      // Not due before its time.
      expect(await deliverDueWebhooks({ db, now: at(RETRY_BASE_MS - 1000) })).toBe(0);
      expect(await deliverDueWebhooks({ db, now: at(RETRY_BASE_MS) })).toBe(1);
      [row] = await deliveriesOf(db, hook.id);
      expect(row).toMatchObject({ status: "DELIVERED", attempts: 2, responseStatus: 200, lastError: null });
      expect(row!.deliveredAt!.getTime()).toBe(t0 + RETRY_BASE_MS);
      expect(receiver.received.map((r) => r.headers["x-helmdeck-delivery"])).toEqual([String(row!.id), String(row!.id)]);
      // The same event, byte for byte, both times.
      expect(receiver.received[0]!.raw.equals(receiver.received[1]!.raw)).toBe(true);
    } finally {
      await receiver.close();
    }

    const redirecting = await startReceiver(() => 302);
    try {
      const hook = await givenWebhook(db, redirecting.url, ["chart.published"]);
      await givenChart(db, [{ version: "1.0.0" }]);
      await deliverDueWebhooks({ db, now: () => new Date(Date.now() + 1000) });
      const [row] = await deliveriesOf(db, hook.id);
      expect(row).toMatchObject({ status: "PENDING", responseStatus: 302, lastError: "HTTP 302: redirects are not followed" });
      expect(redirecting.received).toHaveLength(1);
    } finally {
      await redirecting.close();
    }
  });

  it("retries back off from 30 s, doubling up to an hour with up to 20 % jitter, and give up 24 h after the event", async () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => retryDelayMs(n, () => 0) / 1000)).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
    expect(retryDelayMs(1, () => 0.9999)).toBeLessThanOrEqual(RETRY_BASE_MS * 1.2);
    expect(retryDelayMs(50, () => 0.5)).toBe(Math.round(RETRY_MAX_MS * 1.1));

    const { db } = getDb();
    const receiver = await startReceiver(() => 503);
    try {
      const hook = await givenWebhook(db, receiver.url, ["chart.published"]);
      await givenChart(db, [{ version: "1.0.0" }]);
      const t0 = Date.now() + 1000;
      await deliverDueWebhooks({ db, now: () => new Date(t0), random: () => 0 });
      const almostADay = 24 * 3600_000 - 60_000;
      expect(await deliverDueWebhooks({ db, now: () => new Date(t0 + almostADay), random: () => 0 })).toBe(1);
      const [row] = await deliveriesOf(db, hook.id);
      expect(row).toMatchObject({ status: "FAILED", attempts: 2, responseStatus: 503 });
      expect(await deliverDueWebhooks({ db, now: () => new Date(t0 + 2 * almostADay) })).toBe(0);
    } finally {
      await receiver.close();
    }
  });

  it("a tenant's webhook never sees another tenant's events, and its copy of a fleet batch counts its own releases only", async () => {
    const { db } = getDb();
    const receiver = await startReceiver();
    try {
      const chart = await givenChart(db, [{ version: "1.0.0" }, { version: "1.1.0" }, { version: "1.2.0" }]);
      const mine = await givenTenant(db);
      const theirs = await givenTenant(db);
      const own = await givenRelease(db, { tenantId: mine.id, chartName: chart, chartVersion: "1.0.0" });
      const other = await givenRelease(db, { tenantId: theirs.id, chartName: chart, chartVersion: "1.0.0" });
      await givenRelease(db, { tenantId: theirs.id, chartName: chart, chartVersion: "1.0.0" });
      const hook = await givenWebhook(db, receiver.url, ["release.upgraded", "batch.started", "batch.finished", "chart.published"], tenantAdminOf(mine.id));
      expect(hook.tenant).toBe(mine.slug);
      const platform = await givenWebhook(db, `${receiver.url}/platform`, ["batch.finished"]);
      expect(platform.tenant).toBeNull();

      await upgradeRelease({ ctx: contextFor(db), input: upgrade(other.id, "1.1.0") });
      expect(await deliveriesOf(db, hook.id)).toEqual([]);
      await upgradeRelease({ ctx: contextFor(db), input: upgrade(own.id, "1.1.0") });
      // Another operation holds their release: its item fails, so the batch ends PARTIALLY_FAILED.
      await db.update(releases).set({ pendingRevision: 99, leaseExpiresAt: new Date(Date.now() + 3_600_000) }).where(eq(releases.id, other.id));
      const batch = await runBatch(db, chart, "1.2.0");
      expect(batch.status).toBe("PARTIALLY_FAILED");
      await givenChart(db, [{ version: "2.0.0" }], chart);
      await deliverAll(db);

      const forPlatform = receiver.received.filter((r) => r.body.type === "batch.finished" && (r.body.data.counts as { total: number }).total === 3);
      expect(forPlatform).toHaveLength(1);
      const got = receiver.received.filter((r) => !forPlatform.includes(r)).map((r) => r.body);
      expect(got.map((b) => b.type).sort()).toEqual(["batch.finished", "batch.started", "chart.published", "release.upgraded", "release.upgraded"]);
      for (const body of got.filter((b) => b.type.startsWith("release."))) expect(body.data).toMatchObject({ tenantId: mine.id, releaseId: own.id });
      const finished = got.find((b) => b.type === "batch.finished")!;
      // Its own releases all upgraded: for this tenant the batch succeeded.
      expect(finished.data).toMatchObject({ batchId: batch.id, status: "SUCCEEDED", counts: { total: 1, upgraded: 1, failed: 0 } });
      const everything = JSON.stringify(got);
      expect(everything).not.toContain(theirs.id);
      expect(everything).not.toContain(theirs.slug);
      expect(everything).not.toContain(other.id);
      // The platform's copy of the same batch counts all three releases, under another event id.
      expect(forPlatform[0]!.body.data).toMatchObject({ batchId: batch.id, status: "PARTIALLY_FAILED", counts: { total: 3, upgraded: 2, failed: 1 } });
      expect(forPlatform[0]!.body.id).not.toBe(finished.id);
    } finally {
      await receiver.close();
    }
  });

  it("no outbox row survives a change whose transaction rolls back, and nobody subscribed means no row at all", async () => {
    const { db } = getDb();
    const receiver = await startReceiver();
    try {
      const before = await db.select({ n: count() }).from(webhookDeliveries);
      await emitWebhookEvent(db, { type: "chart.published", tenantId: "every-tenant", data: { chartName: "nobody-listens" } });
      expect(await db.select({ n: count() }).from(webhookDeliveries)).toEqual(before);

      const hook = await givenWebhook(db, receiver.url, ["chart.published"]);
      const failed = await db
        .transaction(async (tx) => {
          await emitWebhookEvent(tx, { type: "chart.published", tenantId: "every-tenant", data: { chartName: "rolled-back" } });
          expect(await tx.select({ n: count() }).from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, hook.id))).toEqual([{ n: 1 }]);
          throw new Error("the change fails after the event was written");
        })
        .catch((e: unknown) => e);
      expect(failed).toBeInstanceOf(Error);
      expect(await deliveriesOf(db, hook.id)).toEqual([]);
      // A disabled webhook is not subscribed to anything.
      await db.update(webhooks).set({ enabled: false }).where(eq(webhooks.id, hook.id));
      await givenChart(db, [{ version: "1.0.0" }]);
      expect(await deliveriesOf(db, hook.id)).toEqual([]);
    } finally {
      await receiver.close();
    }
  });

  it("runners of several instances racing over one outbox post each delivery once", async () => {
    const { db, kind, url } = getDb();
    const { openPostgres } = await import("@/server/db/client");
    const other = kind === "postgres" ? await openPostgres(url!) : undefined;
    const receiver = await startReceiver();
    try {
      const hook = await givenWebhook(db, receiver.url, ["chart.published"]);
      await givenChart(db, Array.from({ length: 12 }, (_, i) => ({ version: `1.0.${i}` })));
      const drain = async (handle: Database) => {
        while ((await deliverDueWebhooks({ db: handle, limit: 3 })) > 0);
      };
      await Promise.all([drain(db), drain(other?.db ?? db), drain(other?.db ?? db)]);
      const ids = receiver.received.map((r) => r.headers["x-helmdeck-delivery"]);
      expect(ids).toHaveLength(12);
      expect(new Set(ids).size).toBe(12);
      expect((await deliveriesOf(db, hook.id)).map((d) => [d.status, d.attempts])).toEqual(Array.from({ length: 12 }, () => ["DELIVERED", 1]));
    } finally {
      await receiver.close();
      await other?.close();
    }
  });

  it("a generated secret is answered once and signs the test event; a stopping runner hands an unanswered delivery back at once", async () => {
    const { db } = getDb();
    const receiver = await startReceiver((_, index) => (index === 0 ? 0 : 200));
    try {
      const hook = await createWebhook({ ctx: contextFor(db), input: { url: receiver.url, events: ["batch.finished"], enabled: true } });
      expect(hook.secret).toMatch(/^whsec_/);
      const queued = await sendTestEvent({ ctx: contextFor(db), webhookId: hook.id });
      expect(queued).toMatchObject({ event: "webhook.test", status: "PENDING", attempts: 0 });

      const runner = startWebhookRunner({ db, pollMs: 50 });
      await receiver.waitFor(1);
      await runner.stop();
      let [row] = await deliveriesOf(db, hook.id);
      expect(row).toMatchObject({ status: "PENDING", attempts: 0 });
      expect(row!.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());

      await deliverAll(db);
      [row] = await deliveriesOf(db, hook.id);
      expect(row).toMatchObject({ status: "DELIVERED", attempts: 1 });
      const last = receiver.received.at(-1)!;
      expect(last.body).toMatchObject({ type: "webhook.test", data: { webhookId: hook.id } });
      expect(signatureValid(hook.secret!, last.raw, last.headers["x-helmdeck-signature"])).toBe(true);
      // Sealed at rest: the stored value is not the secret.
      const [stored] = await db.select({ secret: webhooks.secret }).from(webhooks).where(eq(webhooks.id, hook.id));
      expect(stored!.secret).not.toContain(hook.secret!);
      expect(stored!.secret.startsWith("v1.")).toBe(true);
    } finally {
      await receiver.close();
    }
  });
});
