import { expect, it } from "vitest";
import { listCharts, listChartVersions } from "@/server/domain/charts/list-chart-versions";
import { publishChartVersion } from "@/server/domain/charts/publish-chart-version";
import { DomainError } from "@/server/domain/errors";
import { listReleases } from "@/server/domain/releases/list-releases";
import { createTenant } from "@/server/domain/tenants/create-tenant";
import { listTenants } from "@/server/domain/tenants/list-tenants";
import { describeEachDatabase, tenantAdminOf, viewerOf } from "../helpers/databases";
import { contextFor, givenChart, givenRelease, givenTenant, unique } from "../helpers/fixtures";

describeEachDatabase("catalog, tenants and release lists", (getDb) => {
  it("chart versions are immutable: identical again is accepted, different content is a conflict", async () => {
    const { db } = getDb();
    const input = { name: unique("imm"), version: "1.0.0", appVersion: "1", defaultValues: { a: { b: [1, 2] } }, changes: [], deprecated: false };
    expect((await publishChartVersion({ ctx: contextFor(db), input })).created).toBe(true);
    expect((await publishChartVersion({ ctx: contextFor(db), input: { ...input, defaultValues: { a: { b: [1, 2] } } } })).created).toBe(false);
    await expect(publishChartVersion({ ctx: contextFor(db), input: { ...input, appVersion: "2" } })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("lists versions by semver precedence, not publish order, and the newest per chart", async () => {
    const { db } = getDb();
    const chart = await givenChart(db, [{ version: "1.9.0" }, { version: "1.10.0" }, { version: "1.10.0-rc.1" }, { version: "0.1.0" }]);
    const versions = await listChartVersions({ ctx: contextFor(db), chartName: chart });
    expect(versions.map((v) => v.version)).toEqual(["1.10.0", "1.10.0-rc.1", "1.9.0", "0.1.0"]);
    expect((await listCharts({ ctx: contextFor(db) })).find((c) => c.name === chart)).toEqual({ name: chart, latestVersion: "1.10.0", versions: 4 });
  });

  it("only platform admins create tenants or publish charts", async () => {
    const { db } = getDb();
    const tenant = await givenTenant(db);
    const asTenantAdmin = contextFor(db, tenantAdminOf(tenant.id));
    await expect(createTenant({ ctx: asTenantAdmin, input: { slug: unique("x"), name: "x", environment: "staging" } })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      publishChartVersion({ ctx: asTenantAdmin, input: { name: unique("c"), version: "1.0.0", appVersion: "1", defaultValues: {}, changes: [], deprecated: false } }),
    ).rejects.toBeInstanceOf(DomainError);
    expect((await listTenants({ ctx: asTenantAdmin })).map((t) => t.id)).toEqual([tenant.id]);
  });

  it("release lists filter by tenant, chart, status and version, page without repeats, and never show another tenant", async () => {
    const { db } = getDb();
    const a = await givenTenant(db);
    const b = await givenTenant(db);
    const chart = await givenChart(db, [{ version: "1.0.0" }, { version: "2.0.0" }]);
    for (let i = 0; i < 5; i++) await givenRelease(db, { tenantId: a.id, chartName: chart, chartVersion: i < 3 ? "1.0.0" : "2.0.0" });
    await givenRelease(db, { tenantId: b.id, chartName: chart, chartVersion: "1.0.0" });

    const all = await listReleases({ ctx: contextFor(db), query: { chart } });
    expect(all.items).toHaveLength(6);
    const createdAt = all.items.map((r) => r.updatedAt);
    expect(createdAt).toEqual([...createdAt].sort().reverse());
    expect((await listReleases({ ctx: contextFor(db), query: { chart, version: "2.0.0" } })).items).toHaveLength(2);
    expect((await listReleases({ ctx: contextFor(db), query: { chart, tenant: b.slug } })).items).toHaveLength(1);
    expect((await listReleases({ ctx: contextFor(db), query: { chart, status: "FAILED" } })).items).toHaveLength(0);

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listReleases({ ctx: contextFor(db), query: { chart, limit: 4, cursor } });
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(all.items.map((r) => r.id));

    const asViewerOfA = contextFor(db, viewerOf(a.id));
    const visible = await listReleases({ ctx: asViewerOfA, query: { chart } });
    expect(visible.items.every((r) => r.tenantId === a.id)).toBe(true);
    expect((await listReleases({ ctx: asViewerOfA, query: { chart, tenant: b.slug } })).items).toEqual([]);
  });
});
