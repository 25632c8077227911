import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, demoUser, openBrowser, platformAdmin, screenshot, type Session } from "./browser";

/**
 * A chart of its own, two releases in each of ten demo tenants without a maintenance window
 * (so nothing is skipped whatever the hour), leaving the demo fleet other tests read as
 * seeded. Its 1.1.0 asks for 3 CPUs: tenant "umbrella" (quota 2500m) cannot take it, so its
 * two releases are predicted to fail, and do. At 250 ms a deploy (tests/e2e/setup.ts) the
 * batch runs for about five seconds: long enough to watch.
 */
const chart = `e2e-batch-${Date.now().toString(36)}`;
const tenants = ["acme-dev", "globex-dev", "acme-staging", "initech-staging", "acme", "globex", "umbrella", "hooli", "wayne", "wonka"];
const namespaces = ["e2e-a", "e2e-b"];
const FINISHED = ["SUCCEEDED", "PARTIALLY_FAILED", "FAILED", "CANCELLED"];

describe("batch upgrade page against the real batches router", () => {
  let s: Session;
  beforeAll(async () => {
    for (const [version, cpu] of [["1.0.0", "100m"], ["1.1.0", "3"]] as const) {
      const res = await api("POST", "/helm/charts", { name: chart, version, appVersion: version, defaultValues: { replicaCount: 1, resources: { requests: { cpu, memory: "64Mi" } } } });
      expect(res.status).toBe(201);
    }
    const all = (await api<{ id: string; slug: string }[]>("GET", "/tenants")).body;
    for (const slug of tenants) {
      const tenantId = all.find((t) => t.slug === slug)!.id;
      for (const namespace of namespaces) {
        const res = await api("POST", "/helm/releases", { tenantId, name: "batched", namespace, chartName: chart, chartVersion: "1.0.0" });
        expect(res.status).toBe(201);
      }
    }
    s = await openBrowser({ as: platformAdmin() });
  });
  afterAll(async () => {
    await s?.close();
  });

  it("says what the batch would do, and blocks Run on predicted failures until overridden", async () => {
    const { page } = s;
    await page.goto(`/batches?chart=${chart}&target=1.1.0`);
    const run = page.getByRole("button", { name: "Run batch to 1.1.0" });
    expect(await run.isDisabled()).toBe(true);
    await page.getByRole("button", { name: "Preview (dry run)" }).click();
    await page.getByTestId("batch-preview").waitFor();
    expect(await page.getByTestId("preview-row").count()).toBe(20);
    // (The counts may also say how many upgrades come with a warning: a second sentence.)
    expect(await page.getByTestId("preview-summary").textContent()).toMatch(/^Of 20 releases behind 1\.1\.0, 20 would be upgraded\./);
    // Each row names tenant, namespace and release, and what the batch would do.
    const first = await page.getByTestId("preview-row").first().locator("td").allTextContents();
    expect(first.slice(1, 4)).toEqual(["acme-dev", "e2e-a", "batched"]);
    expect(first[5]).toContain("upgrade");
    const doomed = page.locator('[data-testid="preview-row"][data-predicted-failure="true"]');
    expect(await doomed.count()).toBe(2);
    expect(await doomed.first().textContent()).toContain("umbrella");
    expect(await doomed.first().textContent()).toMatch(/predicted to fail.*cpu/);
    const warning = page.getByRole("alert").filter({ hasText: "2 releases are predicted to fail" });
    expect(await warning.textContent()).toContain("umbrella/e2e-a/batched");
    expect(await run.isDisabled()).toBe(true);
    await page.getByLabel(/Run anyway/).check();
    expect(await run.isEnabled()).toBe(true);
    await screenshot(page, "batch-preview");
  });

  it("opens the live page at once while the batch runs, and the counts move without a reload", async () => {
    const { page } = s;
    const run = page.getByRole("button", { name: "Run batch to 1.1.0" });
    const clicked = Date.now();
    await run.click();
    await page.waitForURL(/\/batches\/[0-9a-f-]{36}$/, { timeout: 3_000 });
    await page.getByTestId("batch-counts").waitFor({ timeout: 3_000 - (Date.now() - clicked) });
    expect(Date.now() - clicked).toBeLessThan(3_000);
    const batchId = page.url().split("/").at(-1)!;
    // Still running when the page shows it: this is the live view, not a report afterwards.
    expect(FINISHED).not.toContain((await api("GET", `/helm/batches/${batchId}`)).body.status);
    await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));

    const upgraded = async () => Number(await page.locator('[data-testid="batch-counts"] [data-count="upgraded"]').textContent());
    const seen = new Set<number>([await upgraded()]);
    await expect
      .poll(
        async () => {
          seen.add(await upgraded());
          return (await api("GET", `/helm/batches/${batchId}`)).body.status;
        },
        { timeout: 60_000, interval: 100 },
      )
      .toBe("PARTIALLY_FAILED");
    await expect.poll(upgraded, { timeout: 10_000 }).toBe(18);
    // The count went through values in between: it moved while we watched, not in one jump.
    expect(seen.size).toBeGreaterThan(2);
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);

    const statuses = await page.getByTestId("batch-item").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-status")));
    expect(statuses.filter((x) => x === "UPGRADED")).toHaveLength(18);
    const failed = page.locator('[data-testid="batch-item"][data-status="FAILED"]');
    expect(await failed.count()).toBe(2);
    expect(await failed.first().textContent()).toContain("umbrella");
    expect(await failed.first().textContent()).toMatch(/quota/);
    // Rows name tenant, namespace and release.
    expect((await failed.first().locator("td").allTextContents()).slice(1, 4)).toEqual(["umbrella", "e2e-a", "batched"]);
    await screenshot(page, "batch");

    // acme's admin sees the batch through acme's releases: its own positions, counts and status.
    const acme = await openBrowser({ as: demoUser("acme", "admin") });
    try {
      await acme.page.goto(`/batches/${batchId}`);
      await acme.page.getByTestId("batch-item").first().waitFor();
      expect(await acme.page.getByTestId("batch-item").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-position")))).toEqual(["1", "2"]);
      expect(await acme.page.locator('[data-testid="batch-counts"] [data-count="failed"]').textContent()).toBe("0");
      expect(await acme.page.locator('[data-testid="batch-counts"] [data-count="total"]').textContent()).toBe("2");
      expect(await acme.page.getByText("PARTIALLY_FAILED").count()).toBe(0);
      expect(await acme.page.getByText("SUCCEEDED").count()).toBeGreaterThan(0);
      expect(await acme.page.getByLabel("Tenant").count()).toBe(0);
    } finally {
      await acme.close();
    }
  });

  it("rolls the batch back from a dialog (Escape cancels, one Enter confirms) and watches the rollback live", async () => {
    const { page } = s;
    const upgradeBatch = page.url();
    const rollBack = page.getByRole("button", { name: "Roll back batch" });
    await rollBack.click();
    const dialog = page.getByRole("dialog", { name: /Roll back every release this batch upgraded/ });
    await dialog.waitFor();
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect(page.url()).toBe(upgradeBatch);

    await rollBack.click();
    await dialog.waitFor();
    const pressed = Date.now();
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => url.href !== upgradeBatch, { timeout: 3_000 });
    expect(Date.now() - pressed).toBeLessThan(3_000);
    const rollbackId = page.url().split("/").at(-1)!;
    const rollback = (await api("GET", `/helm/batches/${rollbackId}`)).body;
    expect(rollback.kind).toBe("rollback");
    expect(FINISHED).not.toContain(rollback.status);
    await expect.poll(() => page.locator('[data-testid="batch-counts"] [data-count="upgraded"]').textContent(), { timeout: 60_000 }).toBe("18");

    await page.goto("/batches");
    await page.getByTestId("batch-row").first().waitFor();
    await expect.poll(() => page.getByTestId("batch-row").count()).toBeGreaterThanOrEqual(2);
  });
});
