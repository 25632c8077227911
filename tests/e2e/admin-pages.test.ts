import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, openBrowser, platformAdmin, screenshot, type Session } from "./browser";

describe("administration pages", () => {
  let s: Session;
  beforeAll(async () => {
    s = await openBrowser({ as: platformAdmin() });
  });
  afterAll(async () => {
    await s?.close();
  });

  it("shows every chart version with its changelog and security badge", async () => {
    const { page } = s;
    await page.goto("/charts?chart=matih-query-engine");
    const versions = page.getByTestId("chart-versions");
    await versions.waitFor();
    const text = await versions.textContent();
    expect(text).toContain("Base image updated for CVE-2026-1234");
    expect(await versions.getByText("security update").count()).toBe(1);
    expect(text!.indexOf("1.3.0")).toBeLessThan(text!.indexOf("1.2.0"));
    await screenshot(page, "charts");
  });

  it("publishes a chart version, naming the field the server refused", async () => {
    const { page } = s;
    await page.goto("/charts");
    await page.getByLabel("Chart name").fill("e2e-widget");
    await page.getByLabel("Version (semver)").fill("v1");
    await page.getByLabel("App version").fill("1.0");
    await page.getByLabel("Default values (values.yaml)").fill("replicaCount: [1");
    await page.getByRole("alert").filter({ hasText: "YAML error" }).waitFor();
    await page.getByLabel("Default values (values.yaml)").fill("replicaCount: 1\n");
    await page.getByLabel("Changelog").fill("added: first release\nsecurity: pinned base image");
    await page.getByRole("button", { name: "Publish" }).click();
    await page.getByRole("alert").filter({ hasText: "strict semantic version" }).first().waitFor();
    await page.getByLabel("Version (semver)").fill("0.1.0");
    await page.getByRole("button", { name: "Publish" }).click();
    await page.getByRole("status").filter({ hasText: "Published e2e-widget 0.1.0" }).waitFor();
    await page.getByRole("navigation", { name: "Charts" }).getByRole("button", { name: /e2e-widget/ }).click();
    await page.getByTestId("chart-versions").getByText("pinned base image").waitFor();
    expect((await api("GET", "/helm/charts/e2e-widget/versions")).body[0].containsSecurityUpdates).toBe(true);
  });

  it("lists what lags behind a target with the upgrade type of each release", async () => {
    const { page } = s;
    await page.goto("/needs-upgrade?chart=matih-query-engine&target=1.3.0");
    await page.getByTestId("needs-upgrade-row").first().waitFor();
    expect(await page.getByTestId("needs-upgrade-row").count()).toBe(17);
    expect(await page.getByTestId("needs-upgrade-count").textContent()).toMatch(/17.*minor/);
    await screenshot(page, "needs-upgrade");
  });

  it("targets the newest stable version unless prereleases are asked for, as helm search --devel", async () => {
    const { page } = s;
    // matih-catalog: 1.0.0-rc.1 is its highest version, 0.9.0 its newest stable one.
    await page.goto("/needs-upgrade?chart=matih-catalog");
    const target = page.getByLabel("Target version");
    await expect.poll(() => target.inputValue()).toBe("0.9.0");
    expect(await target.locator("option").allTextContents()).not.toContain("1.0.0-rc.1");
    await page.getByTestId("needs-upgrade-count").waitFor();
    expect(await page.getByTestId("needs-upgrade-row").count()).toBe(0);
    await page.getByLabel("Include prereleases (--devel)").check();
    await target.selectOption("1.0.0-rc.1");
    await page.waitForURL(/target=1\.0\.0-rc\.1/);
    await page.getByTestId("needs-upgrade-row").first().waitFor();
    expect(await page.getByTestId("needs-upgrade-row").first().textContent()).toContain("0.9.0 → 1.0.0-rc.1");
    // The navigation leads here too.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Needs upgrade" }).click();
    await page.waitForURL((url) => url.pathname === "/needs-upgrade" && !url.search);
  });

  it("creates a tenant, showing the server's field errors in words first", async () => {
    const { page } = s;
    await page.goto("/tenants");
    await page.getByRole("table", { name: "Tenants" }).waitFor();
    await page.getByLabel("Slug").fill("Bad Slug");
    await page.getByLabel("Name", { exact: true }).fill("E2E tenant");
    await page.getByRole("button", { name: "Create tenant" }).click();
    await page.getByRole("alert").filter({ hasText: "Tenant not created" }).waitFor();
    expect(await page.getByRole("alert").filter({ hasText: "lower-case" }).count()).toBeGreaterThan(0);
    await page.getByLabel("Slug").fill("e2e-tenant");
    await page.getByRole("button", { name: "Create tenant" }).click();
    await page.getByRole("status").filter({ hasText: "Created tenant e2e-tenant" }).waitFor();
    await page.getByRole("table", { name: "Tenants" }).getByText("e2e-tenant").waitFor();
    await screenshot(page, "tenants");
  });

  it("creates an API token shown once, which then works, and revokes it", async () => {
    const { page } = s;
    await page.goto("/tokens");
    await page.getByLabel("Name").fill("e2e-ui-token");
    // The least privileged role unless the admin chooses more.
    expect(await page.getByLabel("Role").inputValue()).toBe("viewer");
    await page.getByRole("button", { name: "Create token" }).click();
    const value = await page.getByTestId("token-value").textContent();
    expect(value).toBeTruthy();
    expect((await api("GET", "/helm/releases?limit=1", undefined, value!)).status).toBe(200);
    await screenshot(page, "tokens", [page.getByTestId("token-value")]); // no secret in the docs
    await page.getByRole("button", { name: "Revoke token e2e-ui-token" }).click();
    await page.getByRole("button", { name: "Revoke e2e-ui-token" }).click();
    await page.getByTestId("token-row").filter({ hasText: "e2e-ui-token" }).getByText("revoked").waitFor();
    expect((await api("GET", "/helm/releases?limit=1", undefined, value!)).status).toBe(401);
  });

  it("pages through the audit log", async () => {
    const { page } = s;
    await page.goto("/audit");
    await page.getByTestId("audit-row").first().waitFor();
    const first = await page.getByTestId("audit-row").count();
    expect(first).toBe(50);
    await page.getByRole("button", { name: "Load older events" }).click();
    await expect.poll(() => page.getByTestId("audit-row").count()).toBeGreaterThan(50);
    await screenshot(page, "audit");
  });
});
