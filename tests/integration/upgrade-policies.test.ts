import { and, asc, eq, isNull, lte, or } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DAYS } from "@/contracts/tenants";
import { auditEvents, releases, upgradePolicies, webhookDeliveries } from "@/server/db/schema";
import type { Database } from "@/server/db/client";
import { getBatch } from "@/server/domain/batches/list-batches";
import { DomainError } from "@/server/domain/errors";
import { evaluatePolicy } from "@/server/domain/policies/evaluate-policy";
import { evaluateDuePolicies, evaluatePoliciesOfChart } from "@/server/domain/policies/evaluate-policies";
import { createPolicy, findVisiblePolicy, getPolicy, listPolicies } from "@/server/domain/policies/manage-policies";
import { previewPolicy } from "@/server/domain/policies/preview-policy";
import { createRepository } from "@/server/domain/repositories/manage-repositories";
import { syncRepository } from "@/server/domain/repositories/sync-repository";
import { deliverDueWebhooks, RETRY_BASE_MS } from "@/server/domain/webhooks/deliver-webhooks";
import { createWebhook } from "@/server/domain/webhooks/manage-webhooks";
import { runUntilSettled } from "../helpers/batches";
import { describeEachDatabase, tenantAdminOf, viewerOf } from "../helpers/databases";
import { contextFor, givenChart, givenRelease, givenTenant, unique } from "../helpers/fixtures";
import { chartArchive, HelmRepositoryServer } from "../helpers/helm-repository-server";
import { signatureValid, startReceiver } from "../helpers/webhook-receiver";

const limits = { connectTimeoutMs: 5_000, totalTimeoutMs: 10_000 };
const DAY_MS = 24 * 3600 * 1000;
let repo: HelmRepositoryServer;
beforeAll(async () => {
  repo = await new HelmRepositoryServer().start();
});
afterAll(() => repo.stop());

/** A window open all of tomorrow (UTC) and closed today, so that an injected clock can open it. */
function tomorrowOnly(now = new Date()) {
  const tomorrow = new Date(now.getTime() + DAY_MS);
  return { window: { days: [DAYS[(tomorrow.getUTCDay() + 6) % 7]!], start: "00:00", end: "23:59" }, inside: new Date(Date.UTC(tomorrow.getUTCFullYear(), tomorrow.getUTCMonth(), tomorrow.getUTCDate(), 12)) };
}

const versionOf = async (db: Database, releaseId: string) => (await db.select({ v: releases.chartVersion }).from(releases).where(eq(releases.id, releaseId)))[0]!.v;
const auditOf = async (db: Database, policyId: string, action: string) => db.select().from(auditEvents).where(and(eq(auditEvents.targetId, policyId), eq(auditEvents.action, action))).orderBy(asc(auditEvents.id));

describeEachDatabase("upgrade policies", (getDb) => {
  it("a version synced from a Helm repository upgrades development, staging, then production in one batch; a tenant outside its window waits and is upgraded once its window opens", async () => {
    const { db } = getDb();
    const name = unique("chart");
    const prefix = `/${unique("r")}`;
    repo.publishIndex(prefix, [{ name, version: "1.0.0", archive: chartArchive(name, "1.0.0") }]);
    const repository = await createRepository({ ctx: contextFor(db), input: { name: unique("repo"), url: `${repo.url}${prefix}`, intervalSeconds: 600, enabled: true } });
    expect((await syncRepository({ ctx: contextFor(db), id: repository.id, limits })).imported).toHaveLength(1);

    const { window, inside } = tomorrowOnly();
    const fleet = [];
    for (const [environment, maintenanceWindow] of [["production", null], ["staging", null], ["development", null], ["production", window]] as const) {
      const tenant = await givenTenant(db, { environment, maintenanceWindow });
      fleet.push({ tenant, release: await givenRelease(db, { tenantId: tenant.id, chartName: name, chartVersion: "1.0.0" }) });
    }
    const policy = await createPolicy({ ctx: contextFor(db), input: { chartName: name, range: "^1", includePrerelease: false, mode: "auto", concurrency: 1, enabled: true } });
    // A receiver the platform team wired to its chat: its first answer is a 500.
    const receiver = await startReceiver((_, index) => (index === 0 ? 500 : 200));
    const secret = "policy-flow-webhook-secret";
    const hook = await createWebhook({ ctx: contextFor(db), input: { url: receiver.url, events: ["chart.published", "release.upgraded", "batch.finished"], secret, enabled: true } });
    // Nothing in range above 1.0.0 yet: nothing to do.
    expect(await evaluatePolicy({ db, policy: await findVisiblePolicy(contextFor(db), policy.id), now: new Date() })).toMatchObject({ kind: "idle" });

    repo.publishIndex(prefix, [
      { name, version: "1.0.0", archive: chartArchive(name, "1.0.0") },
      { name, version: "1.1.0", archive: chartArchive(name, "1.1.0") },
      { name, version: "2.0.0", archive: chartArchive(name, "2.0.0") },
    ]);
    const synced = await syncRepository({ ctx: contextFor(db), id: repository.id, limits });
    expect(synced.imported.map((v) => v.version)).toEqual(["1.1.0", "2.0.0"]);

    const afterSync = await getPolicy({ ctx: contextFor(db), id: policy.id });
    expect(afterSync.lastBatchId).not.toBeNull();
    const batchId = afterSync.lastBatchId!;
    const queued = await getBatch({ ctx: contextFor(db), batchId });
    expect(queued).toMatchObject({ targetVersion: "1.1.0", createdBy: `policy:${policy.id}`, policyId: policy.id });
    expect(queued.items.map((i) => i.tenantSlug)).toEqual([fleet[2]!.tenant.slug, fleet[1]!.tenant.slug, fleet[0]!.tenant.slug]);
    const preview = await previewPolicy({ ctx: contextFor(db), id: policy.id });
    expect(preview.targetVersion).toBe("1.1.0");
    expect(preview.counts).toEqual({ total: 4, inWindow: 3, outsideWindow: 1 });

    // While the batch is unfinished, no second one.
    expect(await evaluatePolicy({ db, policy: await findVisiblePolicy(contextFor(db), policy.id), now: new Date() })).toMatchObject({ kind: "busy", batchId });
    const ran = await runUntilSettled({ db, batchId });
    expect(ran.status).toBe("SUCCEEDED");
    for (const { release } of fleet.slice(0, 3)) expect(await versionOf(db, release.id)).toBe("1.1.0");
    expect(await versionOf(db, fleet[3]!.release.id)).toBe("1.0.0");

    // The outbox: delivered now, except the one answered 500, which is retried after its backoff.
    const t0 = Date.now() + 1000;
    while ((await deliverDueWebhooks({ db, now: () => new Date(t0), random: () => 0 })) > 0);
    expect(await deliverDueWebhooks({ db, now: () => new Date(t0 + RETRY_BASE_MS), random: () => 0 })).toBe(1);
    const rows = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, hook.id));
    expect(rows.map((r) => [r.status, r.attempts]).sort()).toEqual([...Array(5).fill(["DELIVERED", 1]), ["DELIVERED", 2]].sort());
    await receiver.close();
    for (const r of receiver.received) expect(signatureValid(secret, r.raw, r.headers["x-helmdeck-signature"])).toBe(true);
    const once = [...new Map(receiver.received.map((r) => [r.headers["x-helmdeck-delivery"], r.body])).values()];
    expect(once.map((e) => e.type).sort()).toEqual(["batch.finished", "chart.published", "chart.published", "release.upgraded", "release.upgraded", "release.upgraded"]);
    expect(once.filter((e) => e.type === "release.upgraded").map((e) => e.data.releaseId).sort()).toEqual(fleet.slice(0, 3).map((f) => f.release.id).sort());
    expect(once.find((e) => e.type === "batch.finished")!.data).toMatchObject({ batchId, status: "SUCCEEDED" });

    // Now (today) the fourth tenant's window is closed: it waits, not skipped.
    const today = await evaluateDuePolicies({ db, owner: "instance-a", now: new Date(Date.now() + 61_000) });
    expect(today).toContainEqual({ kind: "waiting", targetVersion: "1.1.0", outsideWindow: 1 });
    // Tomorrow its window is open: the next evaluation upgrades it.
    const tomorrow = await evaluateDuePolicies({ db, owner: "instance-a", now: inside });
    const started = tomorrow.find((o) => o.kind === "batch");
    expect(started).toMatchObject({ kind: "batch", targetVersion: "1.1.0", items: 1, outsideWindow: 0 });
    await runUntilSettled({ db, batchId: (started as { batchId: string }).batchId });
    expect(await versionOf(db, fleet[3]!.release.id)).toBe("1.1.0");
    expect(await auditOf(db, policy.id, "policy.upgrade-started")).toHaveLength(2);
  });

  it("a sync that imports several versions in range makes one batch, to the highest of them", async () => {
    const { db } = getDb();
    const name = unique("chart");
    const prefix = `/${unique("r")}`;
    const chart = await givenChart(db, [{ version: "1.0.0" }], name);
    const tenant = await givenTenant(db, { environment: "staging" });
    const release = await givenRelease(db, { tenantId: tenant.id, chartName: chart, chartVersion: "1.0.0" });
    const policy = await createPolicy({ ctx: contextFor(db), input: { chartName: chart, range: "^1", includePrerelease: false, mode: "auto", concurrency: 1, enabled: true } });
    repo.publishIndex(prefix, ["1.1.0", "1.2.0", "1.3.0"].map((version) => ({ name, version, archive: chartArchive(name, version) })));
    const repository = await createRepository({ ctx: contextFor(db), input: { name: unique("repo"), url: `${repo.url}${prefix}`, intervalSeconds: 600, enabled: true } });
    expect((await syncRepository({ ctx: contextFor(db), id: repository.id, limits })).imported).toHaveLength(3);
    const started = await auditOf(db, policy.id, "policy.upgrade-started");
    expect(started.map((a) => a.summary.targetVersion)).toEqual(["1.3.0"]);
    await runUntilSettled({ db, batchId: (await getPolicy({ ctx: contextFor(db), id: policy.id })).lastBatchId! });
    expect(await versionOf(db, release.id)).toBe("1.3.0");
  });

  it("two evaluations at once make one batch: the database refuses a second unfinished batch of a policy", async () => {
    const { db } = getDb();
    const chart = await givenChart(db, [{ version: "1.0.0" }]);
    const tenant = await givenTenant(db, { environment: "development" });
    await givenRelease(db, { tenantId: tenant.id, chartName: chart, chartVersion: "1.0.0" });
    await givenChart(db, [{ version: "1.2.0" }], chart);
    const policy = await createPolicy({ ctx: contextFor(db), input: { chartName: chart, tenant: tenant.slug, range: "1.x", includePrerelease: false, mode: "auto", concurrency: 1, enabled: true } });
    const row = await findVisiblePolicy(contextFor(db), policy.id);
    const outcomes = await Promise.all([evaluatePolicy({ db, policy: row, now: new Date() }), evaluatePolicy({ db, policy: row, now: new Date() })]);
    expect(outcomes.map((o) => o.kind).sort()).toEqual(["batch", "busy"]);
    expect((await auditOf(db, policy.id, "policy.upgrade-started")).length).toBe(1);
  });

  it("instances evaluating at once share the due policies: each is evaluated by exactly one", async () => {
    const { db } = getDb();
    for (let i = 0; i < 4; i++) {
      const chart = await givenChart(db, [{ version: "1.0.0" }]);
      await createPolicy({ ctx: contextFor(db), input: { chartName: chart, range: "^1", includePrerelease: false, mode: "notify", concurrency: 1, enabled: true } });
    }
    const now = new Date(Date.now() + 5 * 60_000);
    const due = await db
      .select({ id: upgradePolicies.id })
      .from(upgradePolicies)
      .where(and(eq(upgradePolicies.enabled, true), or(isNull(upgradePolicies.lastEvaluatedAt), lte(upgradePolicies.lastEvaluatedAt, new Date(now.getTime() - 60_000)))));
    const [a, b] = await Promise.all([evaluateDuePolicies({ db, owner: "instance-a", now }), evaluateDuePolicies({ db, owner: "instance-b", now })]);
    expect(a.length + b.length).toBe(due.length);
    expect(await evaluateDuePolicies({ db, owner: "instance-c", now })).toEqual([]);
  });

  it("notify mode creates no batch and announces each target once", async () => {
    const { db } = getDb();
    const chart = await givenChart(db, [{ version: "1.0.0" }]);
    const tenant = await givenTenant(db, { environment: "staging" });
    const release = await givenRelease(db, { tenantId: tenant.id, chartName: chart, chartVersion: "1.0.0" });
    const policy = await createPolicy({ ctx: contextFor(db), input: { chartName: chart, tenant: tenant.slug, range: ">=1.0.0 <2", includePrerelease: false, mode: "notify", concurrency: 1, enabled: true } });
    // The tenant's own webhook hears of it, in the transaction of the announcement.
    const hook = await createWebhook({ ctx: contextFor(db), input: { url: "http://127.0.0.1:9/hook", events: ["policy.upgrade-available"], tenant: tenant.slug, secret: "notify-webhook-secret", enabled: true } });
    await givenChart(db, [{ version: "1.1.0" }], chart);
    const notices = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, hook.id));
    expect(notices.map((n) => [n.eventType, n.payload])).toEqual([["policy.upgrade-available", { policyId: policy.id, chartName: chart, range: ">=1.0.0 <2", targetVersion: "1.1.0", releases: 1 }]]);
    const announced = await auditOf(db, policy.id, "policy.upgrade-available");
    expect(announced.map((a) => a.summary)).toEqual([{ chartName: chart, targetVersion: "1.1.0", releases: 1 }]);
    expect(announced[0]!.tenantId).toBe(tenant.id);
    expect(await evaluatePoliciesOfChart({ db, chartName: chart, now: new Date() })).toEqual([{ kind: "idle", reason: "1.1.0 was announced already" }]);
    // A pre-release is not a target unless the policy asks for them.
    await givenChart(db, [{ version: "1.2.0-rc.1" }], chart);
    expect(await auditOf(db, policy.id, "policy.upgrade-available")).toHaveLength(1);
    await givenChart(db, [{ version: "1.2.0" }], chart);
    expect((await auditOf(db, policy.id, "policy.upgrade-available")).map((a) => a.summary.targetVersion)).toEqual(["1.1.0", "1.2.0"]);
    expect((await getPolicy({ ctx: contextFor(db), id: policy.id })).lastBatchId).toBeNull();
    expect(await versionOf(db, release.id)).toBe("1.0.0");
  });

  it("a tenant's own policy beats the fleet policy; deprecated versions are never a target", async () => {
    const { db } = getDb();
    const chart = await givenChart(db, [{ version: "1.0.0" }, { version: "1.0.1" }, { version: "1.1.0" }, { version: "1.2.0", deprecated: true }]);
    const own = await givenTenant(db, { environment: "development" });
    const others = [await givenTenant(db, { environment: "development" }), await givenTenant(db, { environment: "production" })];
    const ownRelease = await givenRelease(db, { tenantId: own.id, chartName: chart, chartVersion: "1.0.0" });
    const otherReleases = await Promise.all(others.map((t) => givenRelease(db, { tenantId: t.id, chartName: chart, chartVersion: "1.0.0" })));
    const fleetPolicy = await createPolicy({ ctx: contextFor(db), input: { chartName: chart, range: "^1", includePrerelease: false, mode: "auto", concurrency: 2, enabled: true } });
    const ownPolicy = await createPolicy({ ctx: contextFor(db, tenantAdminOf(own.id)), input: { chartName: chart, tenant: own.slug, range: "~1.0", includePrerelease: false, mode: "auto", concurrency: 1, enabled: true } });
    expect((await previewPolicy({ ctx: contextFor(db), id: fleetPolicy.id })).releases.map((r) => r.id).sort()).toEqual(otherReleases.map((r) => r.id).sort());

    const outcomes = await evaluatePoliciesOfChart({ db, chartName: chart, now: new Date() });
    expect(outcomes.filter((o) => o.kind === "batch")).toHaveLength(2);
    for (const id of [fleetPolicy.id, ownPolicy.id]) await runUntilSettled({ db, batchId: (await getPolicy({ ctx: contextFor(db), id })).lastBatchId! });
    expect(await versionOf(db, ownRelease.id)).toBe("1.0.1");
    for (const r of otherReleases) expect(await versionOf(db, r.id)).toBe("1.1.0");
  });

  it("a tenant-admin manages its own tenant's policies only, and sees no other", async () => {
    const { db } = getDb();
    const chart = await givenChart(db, [{ version: "1.0.0" }]);
    const mine = await givenTenant(db);
    const theirs = await givenTenant(db);
    const admin = contextFor(db, tenantAdminOf(mine.id));
    const input = { chartName: chart, range: "^1", includePrerelease: false, mode: "auto" as const, concurrency: 1, enabled: true };
    const theirPolicy = await createPolicy({ ctx: contextFor(db), input: { ...input, tenant: theirs.slug } });
    const fleetWide = await createPolicy({ ctx: admin, input }).catch((e: unknown) => e);
    expect((fleetWide as DomainError).code).toBe("FORBIDDEN");
    const elsewhere = await createPolicy({ ctx: admin, input: { ...input, tenant: theirs.slug } }).catch((e: unknown) => e);
    expect((elsewhere as DomainError).code).toBe("VALIDATION_FAILED");
    const own = await createPolicy({ ctx: admin, input: { ...input, tenant: mine.slug } });
    const again = await createPolicy({ ctx: admin, input: { ...input, tenant: mine.slug } }).catch((e: unknown) => e);
    expect((again as DomainError).code).toBe("CONFLICT");
    expect((await listPolicies({ ctx: admin })).map((p) => p.id)).toEqual([own.id]);
    expect(((await getPolicy({ ctx: admin, id: theirPolicy.id }).catch((e: unknown) => e)) as DomainError).code).toBe("NOT_FOUND");
    const viewer = await createPolicy({ ctx: contextFor(db, viewerOf(mine.id)), input: { ...input, tenant: mine.slug } }).catch((e: unknown) => e);
    expect((viewer as DomainError).code).toBe("FORBIDDEN");
    const badRange = await createPolicy({ ctx: contextFor(db), input: { ...input, chartName: unique("c"), range: "one point oh" } }).catch((e: unknown) => e);
    expect((badRange as DomainError).code).toBe("VALIDATION_FAILED");
  });
});
