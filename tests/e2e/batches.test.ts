import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, openBrowser, platformAdmin, screenshot, type Session } from "./browser";

/**
 * A chart of its own across three tenants, so the demo fleet other tests read stays as
 * seeded. Its 1.1.0 asks for 3 CPUs: tenant "umbrella" (quota 2500m) cannot take it, so
 * that one release fails while the others upgrade.
 */
const chart = `e2e-batch-${Date.now().toString(36)}`;
const tenants = ["acme", "umbrella", "hooli"];

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
      const res = await api("POST", "/helm/releases", { tenantId, name: "batched", namespace: "e2e", chartName: chart, chartVersion: "1.0.0" });
      expect(res.status).toBe(201);
    }
    s = await openBrowser({ as: platformAdmin() });
  });
  afterAll(async () => {
    await s?.close();
  });

  it("previews, runs and watches every release move live to its end, the failing one shown as failed", async () => {
    const { page } = s;
    await page.goto(`/batches?chart=${chart}&target=1.1.0`);
    await page.getByRole("button", { name: "Preview (dry run)" }).click();
    await page.getByTestId("batch-preview").waitFor();
    expect(await page.getByTestId("preview-row").count()).toBe(3);
    await page.getByRole("button", { name: "Run batch to 1.1.0" }).click();
    await page.waitForURL(/\/batches\/[0-9a-f-]{36}$/);
    await page.getByTestId("batch-item").first().waitFor();
    const statuses = () => page.getByTestId("batch-item").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-status")));
    await expect.poll(async () => (await statuses()).sort().join(","), { timeout: 60_000 }).toBe("FAILED,UPGRADED,UPGRADED");
    const failed = page.locator('[data-testid="batch-item"][data-status="FAILED"]');
    expect(await failed.textContent()).toContain("umbrella");
    expect(await failed.textContent()).toMatch(/quota/);
    expect(await page.getByTestId("batch-counts").textContent()).toContain("upgraded2");
    await screenshot(page, "batch");
    await page.getByRole("button", { name: "Roll back batch" }).click();
    await page.getByRole("button", { name: "Yes, rollback" }).click();
    await page.goto("/batches");
    await page.getByTestId("batch-row").first().waitFor();
    await expect.poll(() => page.getByTestId("batch-row").count()).toBeGreaterThanOrEqual(2);
  });
});
