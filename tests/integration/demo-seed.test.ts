import { expect, it } from "vitest";
import { seedDemo } from "@/server/db/seed/seed-demo";
import { countReleasesByVersion } from "@/server/domain/fleet/count-releases-by-version";
import { findReleasesNeedingUpgrade } from "@/server/domain/fleet/find-releases-needing-upgrade";
import { describeEachDatabase, tenantAdminOf } from "../helpers/databases";
import { contextFor } from "../helpers/fixtures";
import { listTenants } from "@/server/domain/tenants/list-tenants";

describeEachDatabase("demo seed", (getDb) => {
  it("gives the documented fleet: 15 on 1.2.0, 8 on 1.3.0, 2 on 1.1.0, in that order", async () => {
    const { db } = getDb();
    await seedDemo(db);
    const map = await countReleasesByVersion({ ctx: contextFor(db), chartName: "matih-query-engine" });
    expect(JSON.stringify(map)).toBe(JSON.stringify({ "1.2.0": 15, "1.3.0": 8, "1.1.0": 2 }));
    expect(await countReleasesByVersion({ ctx: contextFor(db), chartName: "no-such-chart" })).toEqual({});
  });

  it("needs-upgrade to 1.3.0 lists the 17 production releases in rollout order, with upgrade types", async () => {
    const { db } = getDb();
    const page = await findReleasesNeedingUpgrade({ ctx: contextFor(db), filter: { chartName: "matih-query-engine", targetVersion: "1.3.0" } });
    expect(page.items).toHaveLength(17);
    const keys = page.items.map((r) => `${r.tenantSlug}/${r.name}/${r.namespace}`);
    expect(keys[0]).toBe("acme/query-engine/analytics");
    const slugs = page.items.map((r) => r.tenantSlug);
    expect(slugs).toEqual([...slugs].sort());
    expect(new Set(page.items.map((r) => r.upgradeType))).toEqual(new Set(["minor"]));
    // Paging walks the same list without gaps or repeats.
    const walked: string[] = [];
    let cursor: string | undefined;
    do {
      const next = await findReleasesNeedingUpgrade({ ctx: contextFor(db), filter: { chartName: "matih-query-engine", targetVersion: "1.3.0" }, limit: 5, cursor });
      walked.push(...next.items.map((r) => r.id));
      cursor = next.nextCursor ?? undefined;
    } while (cursor);
    expect(walked).toEqual(page.items.map((r) => r.id));
  });

  it("scopes fleet views to a tenant-bound caller", async () => {
    const { db } = getDb();
    const acme = (await listTenants({ ctx: contextFor(db) })).find((t) => t.slug === "acme")!;
    const ctx = contextFor(db, tenantAdminOf(acme.id));
    expect(await countReleasesByVersion({ ctx, chartName: "matih-query-engine" })).toEqual({ "1.2.0": 3 });
    const needs = await findReleasesNeedingUpgrade({ ctx, filter: { chartName: "matih-query-engine", targetVersion: "1.3.0", tenant: "globex" } });
    expect(needs.items).toEqual([]);
  });
});
