import { and, eq, isNotNull, ne, sql } from "drizzle-orm";
import fc from "fast-check";
import { expect, it } from "vitest";
import { openPostgres, type Database } from "@/server/db/client";
import { releases, releaseVersionCounts, releaseVersionTotals } from "@/server/db/schema";
import { DomainError } from "@/server/domain/errors";
import { countReleasesByVersion } from "@/server/domain/fleet/count-releases-by-version";
import { installRelease } from "@/server/domain/releases/install-release";
import { beginOperation } from "@/server/domain/releases/release-operation";
import { rollbackRelease } from "@/server/domain/releases/rollback-release";
import { sweepAbandonedOperations } from "@/server/domain/releases/sweep-abandoned-operations";
import { upgradeRelease } from "@/server/domain/releases/upgrade-release";
import { describeEachDatabase, tenantAdminOf, viewerOf } from "../helpers/databases";
import { contextFor, givenChart, givenTenant, unique } from "../helpers/fixtures";

const VERSIONS = ["1.0.0", "1.1.0", "1.9.0", "1.10.0", "2.0.0-rc.1"];
// Each replica requests 500m CPU (chartDefaults); 10,000 of them exceed any tenant's quota here.
const OVER_QUOTA = { replicaCount: 10_000 };

type Command =
  | { kind: "install"; tenant: number; version: number; fail: boolean }
  | { kind: "upgrade"; release: number; version: number; fail: boolean }
  | { kind: "rollback"; release: number }
  | { kind: "abandon"; release: number; version: number }
  | { kind: "sweep" }
  | { kind: "uninstall"; release: number };

const index = fc.nat({ max: 50 });
const version = fc.nat({ max: VERSIONS.length - 1 });
const command: fc.Arbitrary<Command> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant("install" as const), tenant: fc.nat({ max: 2 }), version, fail: fc.boolean() }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant("upgrade" as const), release: index, version, fail: fc.boolean() }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant("rollback" as const), release: index }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant("abandon" as const), release: index, version }), weight: 1 },
  { arbitrary: fc.constant({ kind: "sweep" as const }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("uninstall" as const), release: index }), weight: 1 },
);

/** The definition the counts must agree with, recounted from the releases themselves. */
async function recount(db: Database, chartName: string) {
  const rows = await db
    .select({ tenantId: releases.tenantId, version: releases.chartVersion, releases: sql<number>`count(*)::integer` })
    .from(releases)
    .where(and(eq(releases.chartName, chartName), ne(releases.status, "UNINSTALLED"), isNotNull(releases.chartVersion)))
    .groupBy(releases.tenantId, releases.chartVersion);
  return rows.map((r) => `${r.tenantId} ${r.version} ${r.releases}`).sort();
}

async function expectCountsEqualRecount(db: Database, chartName: string, tenantIds: string[]) {
  const expected = await recount(db, chartName);
  const perTenant = await db
    .select()
    .from(releaseVersionCounts)
    .where(and(eq(releaseVersionCounts.chartName, chartName), sql`${releaseVersionCounts.releases} <> 0`));
  expect(perTenant.map((r) => `${r.tenantId} ${r.version} ${r.releases}`).sort()).toEqual(expected);

  const byVersion = new Map<string, number>();
  for (const line of expected) {
    const [, v, n] = line.split(" ");
    byVersion.set(v!, (byVersion.get(v!) ?? 0) + Number(n));
  }
  const totals = await db
    .select({ version: releaseVersionTotals.version, releases: sql<number>`sum(${releaseVersionTotals.releases})::integer` })
    .from(releaseVersionTotals)
    .where(eq(releaseVersionTotals.chartName, chartName))
    .groupBy(releaseVersionTotals.version)
    .having(sql`sum(${releaseVersionTotals.releases}) <> 0`);
  expect(new Map(totals.map((t) => [t.version, t.releases]))).toEqual(byVersion);

  // What callers see: a platform admin the fleet, a tenant-bound caller its own tenant.
  expect(await countReleasesByVersion({ ctx: contextFor(db), chartName })).toEqual(Object.fromEntries(byVersion));
  expect(await countReleasesByVersion({ ctx: contextFor(db, viewerOf(null)), chartName })).toEqual(Object.fromEntries(byVersion));
  for (const tenantId of tenantIds) {
    const own = expected.filter((l) => l.startsWith(tenantId)).map((l) => l.split(" "));
    const seen = await countReleasesByVersion({ ctx: contextFor(db, tenantAdminOf(tenantId)), chartName });
    expect(seen).toEqual(Object.fromEntries(own.map(([, v, n]) => [v!, Number(n)])));
  }
}

/** Refusals (409 in progress, nothing to roll back to) are part of the game; anything else is a bug. */
async function allowRefusal(run: Promise<unknown>) {
  try {
    await run;
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
  }
}

async function apply(db: Database, chartName: string, tenantIds: string[], releaseIds: string[], c: Command) {
  const ctx = contextFor(db);
  const pick = (i: number) => releaseIds[i % releaseIds.length];
  switch (c.kind) {
    case "install": {
      const installed = installRelease({
        ctx,
        input: { tenantId: tenantIds[c.tenant]!, name: unique("r"), namespace: "apps", chartName, chartVersion: VERSIONS[c.version]!, valuesOverride: c.fail ? OVER_QUOTA : {} },
      });
      releaseIds.push((await installed).release.id);
      return;
    }
    case "upgrade": {
      const releaseId = pick(c.release);
      if (!releaseId) return;
      const input = { releaseId, chartVersion: VERSIONS[c.version]!, valuesStrategy: "reset-then-reuse" as const, atomic: false, acknowledgeBreakingChanges: true };
      return allowRefusal(upgradeRelease({ ctx, input: c.fail ? { ...input, valuesOverride: OVER_QUOTA } : input }));
    }
    case "rollback": {
      const releaseId = pick(c.release);
      if (releaseId) await allowRefusal(rollbackRelease({ ctx, input: { releaseId } }));
      return;
    }
    case "abandon": {
      // The app died between recording the pending revision and the driver's answer, and its lease has run out.
      const releaseId = pick(c.release);
      if (!releaseId) return;
      const started = beginOperation(ctx, {
        releaseId,
        operation: "upgrade",
        plan: async (_tx, { release }) => ({ chartVersion: VERSIONS[c.version]!, appVersion: "abandoned", valuesOverride: {}, userValues: {}, values: {}, description: `abandoned (was ${release.chartVersion})` }),
      });
      await allowRefusal(started);
      await db.update(releases).set({ leaseExpiresAt: sql`now() - interval '1 second'` }).where(and(eq(releases.id, releaseId), isNotNull(releases.pendingRevision)));
      return;
    }
    case "sweep":
      await sweepAbandonedOperations({ ctx });
      return;
    case "uninstall": {
      // No use case uninstalls yet; the triggers count whatever writes the table.
      const releaseId = pick(c.release);
      if (releaseId) await db.update(releases).set({ status: "UNINSTALLED" }).where(eq(releases.id, releaseId));
      return;
    }
  }
}

describeEachDatabase("versions map counts", (getDb) => {
  it("equal a full recount after any sequence of installs, upgrades, rollbacks, failures, abandoned operations and uninstalls", async () => {
    const { db } = getDb();
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 25 }), async (commands) => {
        const chartName = await givenChart(db, VERSIONS.map((v) => ({ version: v })));
        const tenantIds: string[] = [];
        for (const environment of ["development", "staging", "production"] as const) {
          tenantIds.push((await givenTenant(db, { environment, quota: { cpu: "64", memory: "256Gi" } })).id);
        }
        const releaseIds: string[] = [];
        for (const c of commands) await apply(db, chartName, tenantIds, releaseIds, c);
        await expectCountsEqualRecount(db, chartName, tenantIds);
      }),
      { numRuns: 15 },
    );
  });

  it("follow a bulk INSERT … SELECT and a bulk UPDATE as one statement each", async () => {
    const { db } = getDb();
    const chartName = unique("bulk");
    const tenants = [await givenTenant(db), await givenTenant(db)];
    const ids = tenants.map((t) => t.id);
    await db.execute(sql`
      insert into releases (tenant_id, name, namespace, chart_name, status, latest_revision, deployed_revision, chart_version, version_sort)
      select (array[${ids[0]!}::uuid, ${ids[1]!}::uuid])[1 + g % 2], 'r-' || g, 'ns', ${chartName}, 'DEPLOYED', 1, 1,
             case when g % 3 = 0 then '1.0.0' else '1.1.0' end, case when g % 3 = 0 then 'a' else 'b' end
      from generate_series(1, 300) g`);
    await expectCountsEqualRecount(db, chartName, ids);
    await db.execute(sql`update releases set chart_version = '1.2.0', version_sort = 'c' where chart_name = ${chartName} and name like 'r-1%'`);
    await db.execute(sql`update releases set status = 'UNINSTALLED' where chart_name = ${chartName} and name like 'r-2%'`);
    await expectCountsEqualRecount(db, chartName, ids);
    expect(await countReleasesByVersion({ ctx: contextFor(db), chartName })).toEqual({ "1.2.0": 111, "1.1.0": 50, "1.0.0": 28 });
  });

  it("equal a recount after concurrent upgrades, rollbacks and failures from two app instances, without deadlocks", async (context) => {
    const testDb = getDb();
    if (testDb.kind !== "postgres") return context.skip();
    const second = await openPostgres(testDb.url!);
    try {
      const dbs = [testDb.db, second.db];
      const chartName = await givenChart(testDb.db, VERSIONS.slice(0, 3).map((v) => ({ version: v })));
      const tenants = [await givenTenant(testDb.db, { quota: { cpu: "64", memory: "256Gi" } }), await givenTenant(testDb.db, { quota: { cpu: "64", memory: "256Gi" } })];
      const ids: string[] = [];
      for (let i = 0; i < 24; i++) {
        const installed = await installRelease({
          ctx: contextFor(testDb.db),
          input: { tenantId: tenants[i % 2]!.id, name: `r-${i}`, namespace: "apps", chartName, chartVersion: VERSIONS[i % 3]! },
        });
        ids.push(installed.release.id);
      }
      // Every release moves several times at once from both instances, up and down between the
      // same versions, so the same count rows are taken in opposite directions concurrently.
      const rounds = 4;
      const work = ids.flatMap((releaseId, i) =>
        Array.from({ length: rounds }, (_, round) => {
          const db = dbs[(i + round) % 2]!;
          const ctx = contextFor(db);
          const target = VERSIONS[(i + round) % 3]!;
          const input = { releaseId, chartVersion: target, valuesStrategy: "reset-then-reuse" as const, atomic: false, acknowledgeBreakingChanges: true };
          if (round % 3 === 1) return allowRefusal(rollbackRelease({ ctx, input: { releaseId } }));
          if (round % 3 === 2) return allowRefusal(upgradeRelease({ ctx, input: { ...input, valuesOverride: OVER_QUOTA } }));
          return allowRefusal(upgradeRelease({ ctx, input }));
        }),
      );
      await Promise.all(work);
      await expectCountsEqualRecount(testDb.db, chartName, tenants.map((t) => t.id));
      const moved = await testDb.db.select({ n: sql<number>`count(*)::integer` }).from(releases).where(and(eq(releases.chartName, chartName), sql`${releases.latestRevision} > 1`));
      expect(moved[0]!.n).toBeGreaterThan(0);
    } finally {
      await second.close();
    }
  });
});
