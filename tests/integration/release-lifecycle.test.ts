import { and, eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { releases, revisions, auditEvents } from "@/server/db/schema";
import { listAuditEvents } from "@/server/domain/audit/list-audit-events";
import { DomainError } from "@/server/domain/errors";
import { getRelease, listRevisions } from "@/server/domain/releases/get-release";
import { installRelease } from "@/server/domain/releases/install-release";
import { rollbackRelease } from "@/server/domain/releases/rollback-release";
import { upgradeRelease } from "@/server/domain/releases/upgrade-release";
import { describeEachDatabase } from "../helpers/databases";
import { chartDefaults, contextFor, givenChart, givenRelease, givenTenant, unique } from "../helpers/fixtures";

const upgrade = (releaseId: string, chartVersion: string, extra: Record<string, unknown> = {}) => ({
  releaseId,
  chartVersion,
  valuesStrategy: "reset-then-reuse" as const,
  atomic: false,
  acknowledgeBreakingChanges: false,
  ...extra,
});

async function expectDomainError(promise: Promise<unknown>, code: DomainError["code"]): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected ${code}`).toBeInstanceOf(DomainError);
  expect((error as DomainError).code).toBe(code);
  return error as DomainError;
}

describeEachDatabase("release lifecycle", (getDb) => {
  it("install records revision 1 DEPLOYED with chart defaults merged with the override", async () => {
    const { db } = getDb();
    const tenant = await givenTenant(db);
    const chart = await givenChart(db, [{ version: "1.0.0" }]);
    const result = await installRelease({
      ctx: contextFor(db),
      input: { tenantId: tenant.id, name: "web", namespace: "apps", chartName: chart, chartVersion: "1.0.0", valuesOverride: { replicaCount: 2, image: { tag: "custom" } } },
    });
    expect(result.release).toMatchObject({ tenantSlug: tenant.slug, chartVersion: "1.0.0", appVersion: "app-1.0.0", revision: 1, latestRevision: 1, status: "DEPLOYED" });
    expect(result.revision).toMatchObject({ revision: 1, operation: "install", status: "DEPLOYED", valuesOverride: { replicaCount: 2, image: { tag: "custom" } } });
    expect(result.revision.values).toEqual({ ...chartDefaults("1.0.0"), replicaCount: 2, image: { repository: "example/app", tag: "custom" } });
  });

  it("installing the same name in the same namespace twice is a conflict and leaves one release", async () => {
    const { db } = getDb();
    const tenant = await givenTenant(db);
    const chart = await givenChart(db, [{ version: "1.0.0" }]);
    const input = { tenantId: tenant.id, name: "dup", namespace: "apps", chartName: chart, chartVersion: "1.0.0" };
    await installRelease({ ctx: contextFor(db), input });
    await expectDomainError(installRelease({ ctx: contextFor(db), input }), "CONFLICT");
    const rows = await db.select().from(releases).where(eq(releases.tenantId, tenant.id));
    expect(rows).toHaveLength(1);
  });

  it("upgrade supersedes the deployed revision and keeps user values across upgrades (reset-then-reuse)", async () => {
    const { db } = getDb();
    const tenant = await givenTenant(db);
    const chart = await givenChart(db, [{ version: "1.0.0" }, { version: "1.1.0" }, { version: "1.2.0" }]);
    const release = await givenRelease(db, { tenantId: tenant.id, chartName: chart, chartVersion: "1.0.0", valuesOverride: { replicaCount: 3 } });
    const first = await upgradeRelease({ ctx: contextFor(db), input: upgrade(release.id, "1.1.0", { valuesOverride: { image: { tag: null } } }) });
    expect(first.revision).toMatchObject({ revision: 2, status: "DEPLOYED", operation: "upgrade" });
    expect(first.revision.userValues).toEqual({ replicaCount: 3, image: { tag: null } });
    expect(first.revision.values).toMatchObject({ replicaCount: 3, image: { repository: "example/app" } });
    expect((first.revision.values.image as Record<string, unknown>).tag).toBeUndefined();

    const second = await upgradeRelease({ ctx: contextFor(db), input: upgrade(release.id, "1.2.0") });
    // The deletion and the replica count both survive into the next upgrade, on the new defaults.
    expect(second.revision.values).toMatchObject({ replicaCount: 3, image: { repository: "example/app" }, ports: [80] });
    expect((second.revision.values.image as Record<string, unknown>).tag).toBeUndefined();
    const history = await listRevisions({ ctx: contextFor(db), releaseId: release.id });
    expect(history.map((r) => [r.revision, r.status])).toEqual([
      [3, "DEPLOYED"],
      [2, "SUPERSEDED"],
      [1, "SUPERSEDED"],
    ]);
  });

  it("reuse keeps the previous computed values and ignores new chart defaults; reset drops user values", async () => {
    const { db } = getDb();
    const tenant = await givenTenant(db);
    const chart = await givenChart(db, [{ version: "1.0.0" }, { version: "2.0.0", defaultValues: chartDefaults("2.0.0", { newKey: true }) }]);
    const release = await givenRelease(db, { tenantId: tenant.id, chartName: chart, chartVersion: "1.0.0", valuesOverride: { replicaCount: 5 } });
    const reused = await upgradeRelease({
      ctx: contextFor(db),
      input: upgrade(release.id, "2.0.0", { valuesStrategy: "reuse", acknowledgeBreakingChanges: true, valuesOverride: { ports: [443] } }),
    });
    expect(reused.revision.values).toEqual({ ...chartDefaults("1.0.0"), replicaCount: 5, ports: [443] });
    const reset = await upgradeRelease({ ctx: contextFor(db), input: upgrade(release.id, "2.0.0", { valuesStrategy: "reset" }) });
    expect(reset.revision.values).toEqual(chartDefaults("2.0.0", { newKey: true }));
    expect(reset.revision.userValues).toEqual({});
  });

  it("a failed upgrade is FAILED while the previous revision stays DEPLOYED and keeps counting as what runs", async () => {
    const { db } = getDb();
    const tenant = await givenTenant(db, { quota: { cpu: "1", memory: "4Gi" } });
    const chart = await givenChart(db, [{ version: "1.0.0" }, { version: "1.1.0" }]);
    const release = await givenRelease(db, { tenantId: tenant.id, chartName: chart, chartVersion: "1.0.0" });
    const result = await upgradeRelease({ ctx: contextFor(db), input: upgrade(release.id, "1.1.0", { valuesOverride: { replicaCount: 4 } }) });
    expect(result.revision.status).toBe("FAILED");
    expect(result.revision.error).toContain("requests.cpu 2 > quota 1");
    expect(result.release).toMatchObject({ status: "FAILED", chartVersion: "1.0.0", revision: 1, latestRevision: 2 });
    const [deployed] = await db
      .select()
      .from(revisions)
      .where(and(eq(revisions.releaseId, release.id), eq(revisions.status, "DEPLOYED")));
    expect(deployed?.revision).toBe(1);

    // The next upgrade builds on what runs (revision 1), not on the failed attempt.
    const next = await upgradeRelease({ ctx: contextFor(db), input: upgrade(release.id, "1.1.0") });
    expect(next.revision).toMatchObject({ revision: 3, status: "DEPLOYED" });
    expect(next.revision.values.replicaCount).toBe(1);
  });

  it("atomic upgrade rolls back automatically as a further revision", async () => {
    const { db } = getDb();
    const tenant = await givenTenant(db, { quota: { cpu: "1" } });
    const chart = await givenChart(db, [{ version: "1.0.0" }, { version: "1.1.0" }]);
    const release = await givenRelease(db, { tenantId: tenant.id, chartName: chart, chartVersion: "1.0.0" });
    const result = await upgradeRelease({ ctx: contextFor(db), input: upgrade(release.id, "1.1.0", { atomic: true, valuesOverride: { replicaCount: 10 } }) });
    expect(result.revision).toMatchObject({ revision: 2, status: "FAILED" });
    expect(result.release).toMatchObject({ status: "DEPLOYED", revision: 3, latestRevision: 3, chartVersion: "1.0.0" });
    const history = await listRevisions({ ctx: contextFor(db), releaseId: release.id });
    expect(history[0]).toMatchObject({ revision: 3, operation: "rollback", status: "DEPLOYED" });
  });

  it("rollback defaults to the last superseded revision and copies its version and values", async () => {
    const { db } = getDb();
    const tenant = await givenTenant(db);
    const chart = await givenChart(db, [{ version: "1.0.0" }, { version: "1.1.0" }]);
    const release = await givenRelease(db, { tenantId: tenant.id, chartName: chart, chartVersion: "1.0.0", valuesOverride: { replicaCount: 2 } });
    await upgradeRelease({ ctx: contextFor(db), input: upgrade(release.id, "1.1.0", { valuesOverride: { replicaCount: 7 } }) });
    const rolled = await rollbackRelease({ ctx: contextFor(db), input: { releaseId: release.id } });
    expect(rolled.revision).toMatchObject({ revision: 3, operation: "rollback", status: "DEPLOYED", chartVersion: "1.0.0", description: "Rollback to 1" });
    expect(rolled.revision.values.replicaCount).toBe(2);
    expect(rolled.release).toMatchObject({ chartVersion: "1.0.0", revision: 3, status: "DEPLOYED" });
    const explicit = await rollbackRelease({ ctx: contextFor(db), input: { releaseId: release.id, revision: 2 } });
    expect(explicit.revision).toMatchObject({ revision: 4, chartVersion: "1.1.0", description: "Rollback to 2" });
    await expectDomainError(rollbackRelease({ ctx: contextFor(db), input: { releaseId: release.id, revision: 99 } }), "VALIDATION_FAILED");
  });

  it("refuses unknown chart versions, schema-invalid values and unacknowledged breaking changes without recording a revision", async () => {
    const { db } = getDb();
    const tenant = await givenTenant(db);
    const schema = { type: "object", properties: { replicaCount: { type: "integer", minimum: 1 } } };
    const chart = await givenChart(db, [
      { version: "1.0.0", valuesSchema: schema },
      { version: "1.1.0", valuesSchema: schema, changes: [{ kind: "removed", description: "old flag" }] },
      { version: "2.0.0", valuesSchema: schema },
    ]);
    const release = await givenRelease(db, { tenantId: tenant.id, chartName: chart, chartVersion: "1.0.0" });
    await expectDomainError(upgradeRelease({ ctx: contextFor(db), input: upgrade(release.id, "9.9.9") }), "VALIDATION_FAILED");
    const invalid = await expectDomainError(
      upgradeRelease({ ctx: contextFor(db), input: upgrade(release.id, "1.0.0", { valuesOverride: { replicaCount: "three" } }) }),
      "VALIDATION_FAILED",
    );
    expect(invalid.errors).toEqual([{ path: "valuesOverride.replicaCount", message: "must be integer" }]);
    await expectDomainError(upgradeRelease({ ctx: contextFor(db), input: upgrade(release.id, "1.1.0") }), "CHECK_FAILED");
    await expectDomainError(upgradeRelease({ ctx: contextFor(db), input: upgrade(release.id, "2.0.0") }), "CHECK_FAILED");
    const after = await getRelease({ ctx: contextFor(db), releaseId: release.id });
    expect(after).toMatchObject({ latestRevision: 1, status: "DEPLOYED" });
    const acknowledged = await upgradeRelease({ ctx: contextFor(db), input: upgrade(release.id, "2.0.0", { acknowledgeBreakingChanges: true }) });
    expect(acknowledged.revision).toMatchObject({ revision: 2, status: "DEPLOYED" });
  });

  it("concurrent upgrades of one release: one at a time, contiguous revisions, never two DEPLOYED", async () => {
    const { db } = getDb();
    const tenant = await givenTenant(db);
    const chart = await givenChart(db, [{ version: "1.0.0" }, { version: "1.1.0" }]);
    const release = await givenRelease(db, { tenantId: tenant.id, chartName: chart, chartVersion: "1.0.0" });
    const slowDriver = { name: "slow", apply: async () => (await new Promise((r) => setTimeout(r, 50)), { ok: true as const }) };
    const attempts = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => upgradeRelease({ ctx: contextFor(db, undefined, slowDriver), input: upgrade(release.id, "1.1.0", { description: `attempt ${i}` }) })),
    );
    const succeeded = attempts.filter((a) => a.status === "fulfilled");
    const refused = attempts.filter((a) => a.status === "rejected");
    expect(succeeded.length).toBeGreaterThanOrEqual(1);
    for (const r of refused) expect((r.reason as DomainError).code).toBe("OPERATION_IN_PROGRESS");
    const rows = await db.select({ revision: revisions.revision, status: revisions.status }).from(revisions).where(eq(revisions.releaseId, release.id));
    const numbers = rows.map((r) => r.revision).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: succeeded.length + 1 }, (_, i) => i + 1));
    expect(rows.filter((r) => r.status === "DEPLOYED")).toHaveLength(1);
  });

  it("an operation whose lease expired is marked FAILED by the next one, which proceeds", async () => {
    const { db } = getDb();
    const tenant = await givenTenant(db);
    const chart = await givenChart(db, [{ version: "1.0.0" }, { version: "1.1.0" }]);
    const release = await givenRelease(db, { tenantId: tenant.id, chartName: chart, chartVersion: "1.0.0" });
    // A crash after phase one: the pending revision is committed and nobody finishes it.
    const hanging = { name: "hanging", apply: () => new Promise<never>(() => {}) };
    void upgradeRelease({ ctx: contextFor(db, undefined, hanging), input: upgrade(release.id, "1.1.0") });
    await expect.poll(async () => (await getRelease({ ctx: contextFor(db), releaseId: release.id })).status).toBe("PENDING_UPGRADE");
    const refused = await expectDomainError(upgradeRelease({ ctx: contextFor(db), input: upgrade(release.id, "1.1.0") }), "OPERATION_IN_PROGRESS");
    expect(refused.message).toMatch(/another operation \(upgrade, revision 2\) is in progress .* since \d{4}-/);

    await db.update(releases).set({ leaseExpiresAt: sql`now() - interval '1 second'` }).where(eq(releases.id, release.id));
    const next = await upgradeRelease({ ctx: contextFor(db), input: upgrade(release.id, "1.1.0") });
    expect(next.revision).toMatchObject({ revision: 3, status: "DEPLOYED" });
    const history = await listRevisions({ ctx: contextFor(db), releaseId: release.id });
    expect(history[1]).toMatchObject({ revision: 2, status: "FAILED" });
    expect(history[1]!.error).toMatch(/lease expired/);
    const audit = await db.select().from(auditEvents).where(and(eq(auditEvents.releaseId, release.id), eq(auditEvents.action, "release.operation.abandoned")));
    expect(audit).toHaveLength(1);
  });

  it("the database itself refuses a second DEPLOYED revision and a gap in revision numbers", async () => {
    const { db } = getDb();
    const tenant = await givenTenant(db);
    const chart = await givenChart(db, [{ version: "1.0.0" }]);
    const release = await givenRelease(db, { tenantId: tenant.id, chartName: chart, chartVersion: "1.0.0" });
    const row = { releaseId: release.id, chartVersion: "1.0.0", appVersion: "x", valuesOverride: {}, userValues: {}, values: {}, operation: "upgrade" as const, description: "", actor: "test" };
    await expect(db.insert(revisions).values({ ...row, revision: 2, status: "DEPLOYED" })).rejects.toThrow();
    await expect(db.insert(revisions).values({ ...row, revision: 3, status: "FAILED" })).rejects.toThrow();
  });

  it("writes an audit event for every change, in the same transaction", async () => {
    const { db } = getDb();
    const tenant = await givenTenant(db);
    const chart = await givenChart(db, [{ version: "1.0.0" }, { version: "1.0.1" }]);
    const release = await givenRelease(db, { tenantId: tenant.id, chartName: chart, chartVersion: "1.0.0", name: unique("audited") });
    await upgradeRelease({ ctx: contextFor(db), input: upgrade(release.id, "1.0.1") });
    const actions = (await db.select().from(auditEvents).where(eq(auditEvents.releaseId, release.id))).map((e) => e.action);
    expect(actions).toEqual(["release.install.start", "release.install.succeeded", "release.upgrade.start", "release.upgrade.succeeded"]);
  });

  it("lists audit events with the release they concern named as tenant, namespace and name", async () => {
    const { db } = getDb();
    const tenant = await givenTenant(db);
    const chart = await givenChart(db, [{ version: "1.0.0" }, { version: "1.0.1" }]);
    const name = unique("named");
    const release = await givenRelease(db, { tenantId: tenant.id, chartName: chart, chartVersion: "1.0.0", name });
    await upgradeRelease({ ctx: contextFor(db), input: upgrade(release.id, "1.0.1") });
    const { items } = await listAuditEvents({ ctx: contextFor(db), query: { releaseId: release.id } });
    expect(items.map((e) => e.action)).toEqual(["release.upgrade.succeeded", "release.upgrade.start", "release.install.succeeded", "release.install.start"]);
    for (const e of items) expect(e.release).toEqual({ tenantSlug: tenant.slug, namespace: release.namespace, name });
    const tenantEvent = (await listAuditEvents({ ctx: contextFor(db), query: { action: "tenant.create", limit: 1 } })).items[0];
    expect(tenantEvent?.release).toBeNull();
  });
});
