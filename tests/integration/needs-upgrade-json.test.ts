import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { findReleasesNeedingUpgrade, needsUpgradePageJson, type NeedsUpgradeFilter } from "@/server/domain/fleet/find-releases-needing-upgrade";
import type { DomainContext } from "@/server/domain/context";
import { seedFleet } from "../../bench/lib/seed-fleet";
import { describeEachDatabase, tenantAdminOf } from "../helpers/databases";
import { contextFor } from "../helpers/fixtures";

const chartName = "json-paged-engine";

/** Every page both ways, following each path's own cursors: the texts must be equal byte for byte. */
async function comparePages(ctx: DomainContext, filter: NeedsUpgradeFilter, limit: number) {
  let cursor: string | undefined;
  let pages = 0;
  let items = 0;
  do {
    const objects = await findReleasesNeedingUpgrade({ ctx, filter, limit, cursor });
    const text = await needsUpgradePageJson({ ctx, filter, limit, cursor });
    expect(text.json).toBe(JSON.stringify(objects.items));
    expect(text.nextCursor).toBe(objects.nextCursor);
    cursor = objects.nextCursor ?? undefined;
    pages++;
    items += objects.items.length;
  } while (cursor);
  return { pages, items };
}

describeEachDatabase("needs-upgrade's first page as JSON text built by the database", (getDb) => {
  it("is the object path's answer serialized, page by page with the same cursors, for admins, tenants and a tenant filter", async () => {
    const { db } = getDb();
    await seedFleet(db, { releases: 600, tenants: 6, chart: chartName, versions: ["0.9.0", "1.0.0", "1.9.0-rc.1", "1.9.0", "1.9.1", "2.0.0"] });
    // Microseconds, which the answer shows to the millisecond as JavaScript's toISOString does (truncated).
    await db.execute(sql`update releases set updated_at = updated_at - (random() * interval '100 days') where chart_name = ${chartName}`);
    const ctx = contextFor(db);

    for (const targetVersion of ["2.0.0", "1.9.1", "1.9.0"]) {
      const filter = { chartName, targetVersion };
      const all = await comparePages(ctx, filter, 37);
      expect(all.items, targetVersion).toBeGreaterThan(37);
      expect(all.pages).toBe(Math.ceil(all.items / 37) + (all.items % 37 === 0 ? 1 : 0));
    }
    const [first] = (await findReleasesNeedingUpgrade({ ctx, filter: { chartName, targetVersion: "2.0.0" }, limit: 1 })).items;
    const types = new Set((await findReleasesNeedingUpgrade({ ctx, filter: { chartName, targetVersion: "1.9.1" } })).items.map((i) => i.upgradeType));
    expect([...types].sort()).toEqual(["major", "minor", "patch"]);
    const prerelease = new Set((await findReleasesNeedingUpgrade({ ctx, filter: { chartName, targetVersion: "1.9.0" } })).items.map((i) => i.upgradeType));
    expect(prerelease.has("prerelease")).toBe(true);

    const tenantCtx = contextFor(db, tenantAdminOf(first!.tenantId));
    const own = await comparePages(tenantCtx, { chartName, targetVersion: "2.0.0" }, 10);
    expect(own.items).toBeGreaterThan(10);
    expect(own.items).toBeLessThan(500);
    await comparePages(ctx, { chartName, targetVersion: "2.0.0", tenant: first!.tenantSlug }, 25);
  });

  it("answers an empty page, and an unknown tenant, as []", async () => {
    const ctx = contextFor(getDb().db);
    expect(await needsUpgradePageJson({ ctx, filter: { chartName: "no-such-chart", targetVersion: "1.0.0" }, limit: 100 })).toEqual({ json: "[]", nextCursor: null });
    expect(await needsUpgradePageJson({ ctx, filter: { chartName, targetVersion: "1.0.0", tenant: "no-such-tenant" }, limit: 100 })).toEqual({ json: "[]", nextCursor: null });
  });
});
