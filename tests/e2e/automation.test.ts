import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chartArchive, HelmRepositoryServer } from "../helpers/helm-repository-server";
import { api, openBrowser, platformAdmin, screenshot, type Session } from "./browser";

/**
 * The automation flow a platform admin walks through: add a Helm repository (served by this
 * test over loopback), sync it, create a policy for a tenant, publish a new version in the
 * repository, sync again, and follow the batch the policy made to the batch page.
 */
const suffix = Date.now().toString(36);
const chart = `e2e-auto-${suffix}`;

describe("chart repositories and upgrade policies in the browser", () => {
  let s: Session;
  let repo: HelmRepositoryServer;
  let tenantSlug: string;
  beforeAll(async () => {
    repo = await new HelmRepositoryServer().start();
    repo.publishIndex("/charts", [{ name: chart, version: "1.0.0", archive: chartArchive(chart, "1.0.0") }]);
    tenantSlug = `auto-${suffix}`;
    expect((await api("POST", "/tenants", { slug: tenantSlug, name: "Automation", environment: "development" })).status).toBe(201);
    s = await openBrowser({ as: platformAdmin() });
  });
  afterAll(async () => {
    await s?.close();
    await repo?.stop();
  });

  it("adds a repository, syncs it, creates a policy, and shows the batch it made", async () => {
    const { page } = s;
    await page.goto("/repositories");
    await page.getByLabel("Name").fill(`e2e-${suffix}`);
    await page.getByLabel("URL").fill(`${repo.url}/charts`);
    await page.getByRole("button", { name: "Add repository" }).click();
    const row = page.getByTestId("repository-row").filter({ hasText: `e2e-${suffix}` });
    await row.getByText("never synced").waitFor();
    await row.getByRole("button", { name: `Sync e2e-${suffix}` }).click();
    await row.getByTestId("sync-result").getByText("1 imported, 0 unchanged, 0 errors").waitFor();
    expect(await row.getByTestId("sync-result").textContent()).toContain(`${chart} 1.0.0`);

    const tenant = (await api<{ id: string; slug: string }[]>("GET", "/tenants")).body.find((t) => t.slug === tenantSlug)!;
    const release = await api("POST", "/helm/releases", { tenantId: tenant.id, name: "follower", namespace: "auto", chartName: chart, chartVersion: "1.0.0" });
    expect(release.status).toBe(201);

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Policies" }).click();
    await page.waitForURL(/\/policies$/);
    await page.getByLabel("Chart", { exact: true }).locator(`option[value="${chart}"]`).waitFor({ state: "attached" });
    await page.getByLabel("Chart", { exact: true }).selectOption(chart);
    await page.getByLabel("Tenant", { exact: true }).selectOption(tenantSlug);
    await page.getByLabel("Semver range").fill("^1");
    await page.getByRole("button", { name: "Create policy" }).click();
    const policy = page.getByTestId("policy-row").filter({ hasText: chart });
    await policy.waitFor();
    await policy.getByRole("button", { name: /^Preview policy/ }).click();
    await page.getByTestId("policy-preview").getByText("0 releases below it").waitFor();

    // A new version in the repository: the next sync imports it and the policy acts on it.
    repo.publishIndex("/charts", [
      { name: chart, version: "1.0.0", archive: chartArchive(chart, "1.0.0") },
      { name: chart, version: "1.1.0", archive: chartArchive(chart, "1.1.0") },
    ]);
    await page.goto("/repositories");
    await row.getByRole("button", { name: `Sync e2e-${suffix}` }).click();
    await row.getByTestId("sync-result").getByText("1 imported, 1 unchanged, 0 errors").waitFor();

    await page.goto("/policies");
    const batchLink = policy.getByTestId("policy-batch").getByRole("link");
    await batchLink.waitFor();
    await screenshot(page, "policies");
    await batchLink.click();
    await page.waitForURL(/\/batches\/[0-9a-f-]+$/);
    await page.getByTestId("batch-item").filter({ hasText: "follower" }).waitFor();
    await expect.poll(async () => (await api("GET", `/helm/releases/${release.body.release.id}`)).body.chartVersion, { timeout: 30_000 }).toBe("1.1.0");
  });
});
