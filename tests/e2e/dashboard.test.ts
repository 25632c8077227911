import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, openBrowser, platformAdmin, screenshot, type Session } from "./browser";

describe("fleet dashboard", () => {
  let s: Session;
  beforeAll(async () => {
    s = await openBrowser({ as: platformAdmin() });
  });
  afterAll(async () => {
    await s?.close();
  });

  it("draws the version distribution of every chart, with the demo fleet's counts", async () => {
    const { page } = s;
    await page.goto("/");
    const figure = page.getByTestId("distribution-matih-query-engine");
    await figure.waitFor();
    const bars = await figure.locator("[data-version]").evaluateAll((rows) => rows.map((r) => [r.getAttribute("data-version"), Number(r.getAttribute("data-count"))]));
    expect(Object.fromEntries(bars)).toEqual({ "1.2.0": 15, "1.3.0": 8, "1.1.0": 2 });
    // The figure is labelled and each bar's numbers are text, not only pixels.
    expect(await page.getByRole("figure", { name: "Releases of matih-query-engine per deployed version" }).count()).toBe(1);
    expect(await figure.getByText("1.2.0", { exact: true }).isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId("needs-upgrade-matih-query-engine").textContent()).toMatch(/^17 releases need upgrade to 1\.3\.0/);
    await page.getByTestId("distribution-matih-gateway").waitFor();
    await screenshot(page, "dashboard");
  });

  it("lists releases with filters kept in the URL and pages by cursor", async () => {
    const { page } = s;
    await page.goto("/releases?chart=matih-query-engine&version=1.3.0");
    await page.getByTestId("release-row").first().waitFor();
    expect(await page.getByTestId("release-row").count()).toBe(8);
    await page.getByLabel("Status").selectOption("DEPLOYED");
    await page.waitForURL(/status=DEPLOYED/);
    expect(page.url()).toContain("chart=matih-query-engine");
    await page.goto("/releases");
    await page.getByTestId("release-row").first().waitFor();
    expect(await page.getByTestId("release-row").count()).toBe(25);
    await screenshot(page, "releases");
    await page.getByRole("button", { name: "Next →" }).click();
    await page.waitForURL(/cursor=/);
    // Other e2e files add releases of their own: the second page holds whatever is past 25.
    const total = (await api<unknown[]>("GET", "/helm/releases?limit=1000")).body.length;
    await expect.poll(() => page.getByTestId("release-row").count()).toBe(Math.min(25, total - 25));
  });
});
