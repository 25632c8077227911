import { sql } from "drizzle-orm";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedFleet } from "../../bench/lib/seed-fleet";
import { openTestDatabase, type TestDatabase } from "../helpers/databases";
import { startServer, type ServerProcess } from "../helpers/server-process";
import { openBrowser, screenshot, type Session } from "./browser";

/**
 * A fleet of its own on PostgreSQL (set-based seed, as bench:seed writes it): 3,000 releases
 * of one chart over 30 tenants, with a server of its own over it. Two development tenants get
 * a quota their fleet already exceeds, so their 200 upgrades are predicted to fail, and do,
 * early (development runs first). At 20 ms a deploy the batch runs for a minute or more:
 * the page is watched while it runs, then the batch is cancelled from the page.
 */
const RELEASES = 3_000;
const CHART = "scale-engine";
const OVER_QUOTA = ["bench-0001", "bench-0005"];
const admin = { email: "scale-admin@helmdeck.test", password: "scale-admin-password" };

const rowsInDom = (page: Page) => page.locator("tr").count();
const shown = async (page: Page, name: string) => Number(await page.locator(`[data-testid="batch-counts"] [data-count="${name}"]`).textContent());
const positions = (page: Page) => page.getByTestId("batch-item").evaluateAll((rows) => rows.map((r) => Number(r.getAttribute("data-position"))));
/** The cells of every item row: 0 position, 1 tenant, 2 namespace, 3 release, 4 from, 5 status, 6 revision, 7 error. */
const cells = (page: Page, column: number) => page.getByTestId("batch-item").evaluateAll((rows, c) => rows.map((r) => r.querySelectorAll("td")[c]?.textContent ?? ""), column);

describe("a batch of 3,000 releases in the browser", () => {
  let database: TestDatabase;
  let server: ServerProcess;
  let s: Session;
  let batchId: string;

  beforeAll(async () => {
    process.env.TEST_DATABASE_URL ??= "postgres://postgres@127.0.0.1:5432/postgres";
    database = await openTestDatabase("postgres");
    const fleet = { releases: RELEASES, tenants: 30, chart: CHART, versions: ["1.0.0"] };
    await seedFleet(database.db, fleet);
    // Publishes 1.1.0 only: every release stays on 1.0.0, so the batch holds all 3,000.
    await seedFleet(database.db, { ...fleet, releases: 0, versions: ["1.0.0", "1.1.0"] });
    await database.db.execute(sql`update tenants set quota = '{"cpu": "1"}'::jsonb where slug in (${sql.join(OVER_QUOTA.map((t) => sql`${t}`), sql`, `)})`);
    server = await startServer({
      DATABASE_URL: database.url!,
      HELMDECK_DEMO: "0",
      HELMDECK_ADMIN_EMAIL: admin.email,
      HELMDECK_ADMIN_PASSWORD: admin.password,
      HELMDECK_SIMULATED_LATENCY_MS: "20",
    });
    s = await openBrowser({ as: admin, url: server.url });
  });
  afterAll(async () => {
    await s?.close();
    await server?.stop();
    await database?.close();
  });

  it("previews the whole batch a page at a time, with the server's counts in words, blocked by the predicted failures", async () => {
    const { page } = s;
    await page.goto(`/batches?chart=${CHART}&target=1.1.0`);
    await page.getByRole("button", { name: "Preview (dry run)" }).click();
    await page.getByTestId("batch-preview").waitFor({ timeout: 60_000 });
    const summary = await page.getByTestId("preview-summary").textContent();
    expect(summary).toMatch(/^Of 3000 releases behind 1\.1\.0, 3000 would be upgraded\./);
    expect(summary).toMatch(/200 are predicted to exceed the tenant's quota/);
    expect(await page.getByTestId("preview-row").count()).toBe(100);
    expect(await page.getByRole("alert").filter({ hasText: "200 releases are predicted to fail" }).count()).toBe(1);
    await page.getByRole("navigation", { name: "Preview pages" }).getByRole("button", { name: "Next page" }).click();
    await expect.poll(() => page.getByTestId("preview-row").first().locator("td").first().textContent()).toBe("101");
    expect(await page.getByTestId("preview-range").textContent()).toBe("page 2 of 30");
    const run = page.getByRole("button", { name: "Run batch to 1.1.0" });
    expect(await run.isDisabled()).toBe(true);
    await page.getByLabel(/Run anyway/).check();
    await run.click();
    // (batches.test.ts holds the live page to 3 s; here the machine also seeds and runs 3,000 releases.)
    await page.waitForURL(/\/batches\/[0-9a-f-]{36}$/, { timeout: 10_000 });
    batchId = page.url().split("/").at(-1)!;
    await page.getByTestId("batch-counts").waitFor({ timeout: 10_000 });
  });

  it("renders one page of rows while the counts advance, and stays responsive", async () => {
    const { page } = s;
    await page.getByTestId("batch-item").first().waitFor();
    expect(await page.getByTestId("batch-item").count()).toBe(100);
    expect(await rowsInDom(page)).toBeLessThanOrEqual(500);
    expect(await shown(page, "total")).toBe(RELEASES);

    // Long tasks (over 50 ms of script) while events stream in: none long enough to notice.
    await page.evaluate(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((list) => list.getEntries().forEach((e) => w.longTasks.push(e.duration))).observe({ type: "longtask", buffered: false });
    });
    const done = async () => (await shown(page, "upgraded")) + (await shown(page, "failed"));
    const seen = new Set<number>();
    const delays: number[] = [];
    await expect
      .poll(
        async () => {
          seen.add(await done());
          // How long the page takes to run a task queued now: a busy main thread shows here.
          delays.push(await page.evaluate(() => new Promise<number>((r) => { const t = performance.now(); setTimeout(() => r(performance.now() - t), 0); })));
          return seen.size;
        },
        { timeout: 60_000, interval: 250 },
      )
      .toBeGreaterThanOrEqual(4);
    expect(await page.locator("[data-testid=batch-progress] [role=progressbar]").getAttribute("aria-valuenow")).not.toBe("0");
    // Generous bounds: the machine running this test is shared; a page re-rendering thousands of rows misses them by far.
    const sorted = delays.toSorted((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length * 0.9)]!).toBeLessThan(200);
    const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    expect(Math.max(0, ...longTasks)).toBeLessThan(1_000);
    expect(await page.getByTestId("batch-item").count()).toBe(100);
  });

  it("pages through the items and filters them by status and by tenant, one page at a time", async () => {
    const { page } = s;
    const items = page.getByRole("navigation", { name: "Item pages" });
    await items.getByRole("button", { name: "Next page" }).click();
    await expect.poll(async () => (await positions(page))[0]).toBe(101);
    expect(await positions(page)).toEqual(Array.from({ length: 100 }, (_, i) => 101 + i));
    await items.getByRole("button", { name: "Previous page" }).click();
    await expect.poll(async () => (await positions(page))[0]).toBe(1);

    await page.getByLabel("Status").selectOption("FAILED");
    await page.waitForURL(/\?status=FAILED$/);
    await expect.poll(async () => new Set(await cells(page, 5))).toEqual(new Set(["FAILED"]));
    const failedRows = await page.getByTestId("batch-item").count();
    expect(failedRows).toBeGreaterThan(0);
    expect(failedRows).toBeLessThanOrEqual(100);
    expect(OVER_QUOTA).toContain((await cells(page, 1))[0]);
    expect((await cells(page, 7))[0]).toMatch(/quota/);
    expect(await page.getByTestId("items-range").textContent()).toMatch(/shown of \d+ failed/);
    await screenshot(page, "batch-at-scale-failed");

    await page.getByLabel("Status").selectOption("");
    await page.getByLabel("Tenant").selectOption("bench-0002");
    await expect.poll(async () => new Set(await cells(page, 1))).toEqual(new Set(["bench-0002"]));
    expect(await page.getByTestId("batch-item").count()).toBe(100);
    expect(new Set(await cells(page, 2))).toEqual(new Set([CHART]));
    await page.getByLabel("Tenant").selectOption("");
    await expect.poll(async () => (await positions(page))[0]).toBe(1);
    await screenshot(page, "batch-at-scale");
  });

  it("cancels from the page: the rows never started count as cancelled, not as skipped", async () => {
    const { page } = s;
    await page.getByRole("button", { name: "Cancel" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Yes, cancel batch" }).click();
    await expect.poll(() => shown(page, "cancelled"), { timeout: 30_000 }).toBeGreaterThan(0);
    const res = await fetch(`${server.url}/api/v1/helm/batches/${batchId}`, { headers: { Authorization: `Bearer ${server.token}` } });
    const batch = (await res.json()) as { status: string; counts: { total: number; cancelled: number; skipped: number; pending: number } };
    expect(batch.status).toBe("CANCELLED");
    await expect.poll(() => shown(page, "pending"), { timeout: 30_000 }).toBe(0);
    expect(await shown(page, "skipped")).toBe(0);
    expect(await shown(page, "cancelled")).toBeGreaterThanOrEqual(batch.counts.cancelled);
    await page.getByLabel("Status").selectOption("CANCELLED");
    await expect.poll(async () => new Set(await cells(page, 5))).toEqual(new Set(["CANCELLED"]));
  });
});
