import { and, asc, eq, like, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { auditEvents, releases, revisions, tenants } from "@/server/db/schema";
import { countReleasesByVersion } from "@/server/domain/fleet/count-releases-by-version";
import { findReleasesNeedingUpgrade, rolloutKey } from "@/server/domain/fleet/find-releases-needing-upgrade";
import { installRelease } from "@/server/domain/releases/install-release";
import { upgradeRelease } from "@/server/domain/releases/upgrade-release";
import { semverSortKey } from "@/server/domain/versions/semver";
import { SEED_ACTOR, seedFleet } from "../../bench/lib/seed-fleet";
import { describeEachDatabase } from "../helpers/databases";
import { contextFor } from "../helpers/fixtures";

const spec = { releases: 60, tenants: 8, chart: "seeded-engine", versions: ["1.0.0", "1.2.0", "1.10.0"] };

// What differs between any two installs: identity, names and moments.
const withoutIdentity = <T extends Record<string, unknown>>(row: T, keys: string[]) => Object.fromEntries(Object.entries(row).filter(([k]) => !keys.includes(k)));

describeEachDatabase("bench:seed fleet", (getDb) => {
  it("writes what installing each release through the use case would write", async () => {
    const { db } = getDb();
    const result = await seedFleet(db, spec);
    expect(result).toEqual({ tenantsCreated: 8, releasesCreated: 60, chartVersionsPublished: 3 });

    const fleetTenants = await db.select().from(tenants).where(like(tenants.slug, "bench-%")).orderBy(asc(tenants.slug));
    expect(fleetTenants.map((t) => t.slug)).toEqual(Array.from({ length: 8 }, (_, i) => `bench-000${i + 1}`));
    expect(new Set(fleetTenants.map((t) => t.environment))).toEqual(new Set(["development", "staging", "production"]));

    // One more release, installed by the app itself, next to the seeded ones.
    const tenant = fleetTenants[0]!;
    const installed = await installRelease({ ctx: { ...contextFor(db), actor: SEED_ACTOR, requestId: "bench-seed" }, input: { tenantId: tenant.id, name: "by-the-app", namespace: spec.chart, chartName: spec.chart, chartVersion: "1.2.0" } });
    const [seeded] = await db.select().from(releases).where(and(eq(releases.tenantId, tenant.id), eq(releases.chartVersion, "1.2.0"), eq(releases.chartName, spec.chart))).limit(1);
    const [app] = await db.select().from(releases).where(eq(releases.id, installed.release.id));
    const releaseKeys = ["id", "name", "rolloutKey", "createdAt", "updatedAt"];
    expect(withoutIdentity(seeded!, releaseKeys)).toEqual(withoutIdentity(app!, releaseKeys));
    expect(seeded!.rolloutKey).toBe(rolloutKey(tenant.environment, tenant.slug, seeded!.name, seeded!.namespace));

    const [seededRevision] = await db.select().from(revisions).where(eq(revisions.releaseId, seeded!.id));
    const [appRevision] = await db.select().from(revisions).where(eq(revisions.releaseId, app!.id));
    const revisionKeys = ["releaseId", "startedAt", "finishedAt"];
    expect(withoutIdentity(seededRevision!, revisionKeys)).toEqual(withoutIdentity(appRevision!, revisionKeys));

    const auditOf = async (releaseId: string) =>
      (await db.select().from(auditEvents).where(eq(auditEvents.releaseId, releaseId)).orderBy(asc(auditEvents.id))).map((e) => ({
        ...withoutIdentity(e, ["id", "targetId", "releaseId", "createdAt"]),
        summary: { ...e.summary, name: e.summary.name === undefined ? undefined : "*" },
      }));
    expect(await auditOf(seeded!.id)).toEqual(await auditOf(app!.id));

    // Each release runs its chart's version with its sort key; versions evenly spread.
    const spread = await db
      .select({ version: releases.chartVersion, sort: releases.versionSort, n: sql<number>`count(*)::integer` })
      .from(releases)
      .where(and(eq(releases.chartName, spec.chart), like(releases.name, `${spec.chart}-%`)))
      .groupBy(releases.chartVersion, releases.versionSort);
    expect(spread.map((s) => [s.version, s.sort, s.n]).sort()).toEqual(spec.versions.map((v) => [v, semverSortKey(v), 20]).sort());
    // …also within a tenant, not one version per tenant.
    const perTenant = await db.select({ n: sql<number>`count(distinct ${releases.chartVersion})::integer` }).from(releases).where(eq(releases.tenantId, fleetTenants[1]!.id));
    expect(perTenant[0]!.n).toBe(3);

    expect(await countReleasesByVersion({ ctx: contextFor(db), chartName: spec.chart })).toEqual({ "1.2.0": 21, "1.10.0": 20, "1.0.0": 20 });
  });

  it("is idempotent, adds another chart to the same tenants, and leaves a fleet the app can upgrade", async () => {
    const { db } = getDb();
    await seedFleet(db, spec);
    expect(await seedFleet(db, spec)).toEqual({ tenantsCreated: 0, releasesCreated: 0, chartVersionsPublished: 0 });
    expect(await seedFleet(db, { ...spec, chart: "seeded-gateway", versions: ["2.0.0"], releases: 16 })).toEqual({ tenantsCreated: 0, releasesCreated: 16, chartVersionsPublished: 1 });
    const gatewayTenants = await db.selectDistinct({ tenantId: releases.tenantId }).from(releases).where(eq(releases.chartName, "seeded-gateway"));
    expect(gatewayTenants).toHaveLength(8);

    const ctx = contextFor(db);
    const page = await findReleasesNeedingUpgrade({ ctx, filter: { chartName: spec.chart, targetVersion: "1.10.0" }, limit: 5 });
    expect(page.items[0]!.tenantSlug).toMatch(/^bench-/);
    const upgraded = await upgradeRelease({ ctx, input: { releaseId: page.items[0]!.id, chartVersion: "1.10.0", valuesStrategy: "reset-then-reuse", atomic: false, acknowledgeBreakingChanges: false } });
    expect(upgraded.release).toMatchObject({ chartVersion: "1.10.0", revision: 2, latestRevision: 2, status: "DEPLOYED" });
    expect(upgraded.revision.values).toMatchObject({ image: { tag: "1.10.0" } });
  });
});
