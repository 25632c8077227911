import { setTimeout as sleep } from "node:timers/promises";
import { asc, eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { batchUpgradeInput } from "@/contracts/batches";
import type { Database } from "@/server/db/client";
import { DAYS } from "@/contracts/tenants";
import { batchItems, revisions, tenants } from "@/server/db/schema";
import type { DeployDriver } from "@/server/deploy/driver";
import { createSimulatedDriver } from "@/server/deploy/simulated-driver";
import { getBatch } from "@/server/domain/batches/list-batches";
import { submitBatch } from "@/server/domain/batches/submit-batch";
import { upgradeRelease } from "@/server/domain/releases/upgrade-release";
import { runUntilSettled } from "../helpers/batches";
import { describeEachDatabase, platformAdmin } from "../helpers/databases";
import { contextFor, givenChart, givenRelease, givenTenant } from "../helpers/fixtures";

/** Holds the first release's deploy until let go, so that the test can act between two steps. */
function gatedDriver(heldReleaseId: string) {
  let letGo!: () => void;
  const gate = new Promise<void>((resolve) => (letGo = resolve));
  const instant = createSimulatedDriver({ latencyMs: 0 });
  const driver: DeployDriver = {
    name: "gated-simulated",
    async apply(request) {
      if (request.release.id === heldReleaseId) await gate;
      return instant.apply(request);
    },
  };
  return { driver, letGo };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const found = await probe();
    if (found !== undefined) return found;
    await sleep(10);
  }
  throw new Error(`never: ${what}`);
}

const itemsOf = (db: Database, batchId: string) => db.select().from(batchItems).where(eq(batchItems.batchId, batchId)).orderBy(asc(batchItems.position));

describeEachDatabase("a sequential batch planning each start from rows read in the step before", (getDb) => {
  it("skips a release upgraded by hand in between, and never upgrades it twice", async () => {
    const { db } = getDb();
    const chart = await givenChart(db, [{ version: "1.0.0" }, { version: "1.1.0" }]);
    const fleet = [];
    for (let i = 0; i < 4; i++) {
      const tenant = await givenTenant(db, { environment: "development" });
      fleet.push(await givenRelease(db, { tenantId: tenant.id, chartName: chart, chartVersion: "1.0.0" }));
    }
    const { batch } = await submitBatch({
      ctx: contextFor(db, platformAdmin),
      request: { kind: "upgrade", input: batchUpgradeInput.parse({ chartName: chart, targetVersion: "1.1.0" }) },
      async: true,
    });
    const order = (await itemsOf(db, batch.id)).map((item) => item.releaseId);
    const { driver, letGo } = gatedDriver(order[0]!);
    const running = runUntilSettled({ db, batchId: batch.id, driver });
    // The runner is inside the first deploy: the step that started it has read the second release.
    await until("the first item runs", async () => ((await itemsOf(db, batch.id))[0]!.status === "RUNNING" ? true : undefined));
    // Meanwhile the second release is upgraded by hand.
    await upgradeRelease({ ctx: contextFor(db), input: { releaseId: order[1]!, chartVersion: "1.1.0", valuesStrategy: "reset-then-reuse", atomic: false, acknowledgeBreakingChanges: false } });
    letGo();
    await running;
    const view = await getBatch({ ctx: contextFor(db), batchId: batch.id });
    const items = await itemsOf(db, batch.id);
    expect(items.map((i) => i.status)).toEqual(["UPGRADED", "SKIPPED", "UPGRADED", "UPGRADED"]);
    expect(items[1]!.error).toMatch(/already runs 1\.1\.0/);
    expect(view.counts).toMatchObject({ upgraded: 3, skipped: 1, failed: 0 });
    // Upgraded once: by hand, never again by the batch.
    const second = await db.select({ revision: revisions.revision, batchId: revisions.batchId }).from(revisions).where(eq(revisions.releaseId, order[1]!)).orderBy(asc(revisions.revision));
    expect(second.map((r) => r.batchId)).toEqual([null, null]);
  });

  it("skips a release whose tenant was given a maintenance window in between, as a locked read would", async () => {
    const { db } = getDb();
    const chart = await givenChart(db, [{ version: "1.0.0" }, { version: "1.1.0" }]);
    for (let i = 0; i < 3; i++) {
      const tenant = await givenTenant(db, { environment: "development" });
      await givenRelease(db, { tenantId: tenant.id, chartName: chart, chartVersion: "1.0.0" });
    }
    const { batch } = await submitBatch({
      ctx: contextFor(db, platformAdmin),
      request: { kind: "upgrade", input: batchUpgradeInput.parse({ chartName: chart, targetVersion: "1.1.0" }) },
      async: true,
    });
    const items = await itemsOf(db, batch.id);
    const { driver, letGo } = gatedDriver(items[0]!.releaseId);
    const running = runUntilSettled({ db, batchId: batch.id, driver });
    await until("the first item runs", async () => ((await itemsOf(db, batch.id))[0]!.status === "RUNNING" ? true : undefined));
    // A window three days away: the release is outside it now. Its row did not change, its tenant's did.
    const away = DAYS[(new Date().getUTCDay() + 6 + 3) % 7]!;
    await db.update(tenants).set({ maintenanceWindow: { days: [away], start: "00:00", end: "00:01" } }).where(eq(tenants.id, items[1]!.tenantId));
    letGo();
    await running;
    const settled = await itemsOf(db, batch.id);
    expect(settled.map((i) => i.status)).toEqual(["UPGRADED", "SKIPPED", "UPGRADED"]);
    expect(settled[1]!.reasonCode).toBe("outside-window");
  });
});
