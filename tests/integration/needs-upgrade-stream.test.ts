import { expect, it } from "vitest";
import { findReleasesNeedingUpgrade, pagesOfReleasesNeedingUpgrade } from "@/server/domain/fleet/find-releases-needing-upgrade";
import { jsonArrayResponse } from "@/server/http/json-array-stream";
import { seedFleet } from "../../bench/lib/seed-fleet";
import { describeEachDatabase, tenantAdminOf } from "../helpers/databases";
import { contextFor } from "../helpers/fixtures";

const chartName = "streamed-engine";
const filter = { chartName, targetVersion: "1.10.0" };

/** Counts the pages a consumer has caused to be read. */
async function* counted<T>(pages: AsyncGenerator<T>, seen: { pages: number }): AsyncGenerator<T> {
  for await (const page of pages) {
    seen.pages++;
    yield page;
  }
}

it("a failure after the first page cuts the answer (never a well-formed partial array) and is reported", async () => {
  async function* failing() {
    yield [{ id: 1 }];
    throw new Error("database went away");
  }
  const reported: unknown[] = [];
  const response = await jsonArrayResponse(failing(), { onError: (e) => reported.push(e) });
  await expect(response.text()).rejects.toThrow();
  expect(reported).toHaveLength(1);
});

describeEachDatabase("needs-upgrade without a limit", (getDb) => {
  it("streams exactly the releases of the one-query answer, in rollout order, for admins and tenants alike", async () => {
    const { db } = getDb();
    await seedFleet(db, { releases: 1_250, tenants: 10, chart: chartName, versions: ["1.0.0", "1.9.0", "1.10.0", "1.2.0"] });
    const ctx = contextFor(db);
    const whole = await findReleasesNeedingUpgrade({ ctx, filter });
    expect(whole.items).toHaveLength(938);

    const response = await jsonArrayResponse(pagesOfReleasesNeedingUpgrade({ ctx, filter, pageSize: 100 }));
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(JSON.parse(await response.text())).toEqual(whole.items);

    const tenantId = whole.items[0]!.tenantId;
    const ownCtx = contextFor(db, tenantAdminOf(tenantId));
    const own = await jsonArrayResponse(pagesOfReleasesNeedingUpgrade({ ctx: ownCtx, filter, pageSize: 7 }));
    const ownItems = JSON.parse(await own.text()) as { tenantId: string }[];
    expect(ownItems.length).toBeGreaterThan(7);
    expect(ownItems).toEqual((await findReleasesNeedingUpgrade({ ctx: ownCtx, filter })).items);
  });

  it("reads the next page only when the client has taken the previous one, and stops when it goes away", async () => {
    const { db } = getDb();
    await seedFleet(db, { releases: 1_250, tenants: 10, chart: chartName, versions: ["1.0.0", "1.9.0", "1.10.0", "1.2.0"] });
    const seen = { pages: 0 };
    const response = await jsonArrayResponse(counted(pagesOfReleasesNeedingUpgrade({ ctx: contextFor(db), filter, pageSize: 50 }), seen));
    const reader = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first.startsWith("[{")).toBe(true);
    // 938 releases are 19 pages; a slow client has caused at most the page it reads and one queued.
    expect(seen.pages).toBeLessThanOrEqual(2);
    await reader.cancel();
    const afterCancel = seen.pages;
    expect(afterCancel).toBeLessThan(19);
  });

  it("answers [] when nothing is below the target", async () => {
    const { db } = getDb();
    const response = await jsonArrayResponse(pagesOfReleasesNeedingUpgrade({ ctx: contextFor(db), filter: { chartName: "no-such-chart", targetVersion: "1.0.0" } }));
    expect(await response.text()).toBe("[]");
  });
});
