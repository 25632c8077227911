import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, demoUser, openBrowser, platformAdmin, screenshot, type Session } from "./browser";

describe("release page", () => {
  let s: Session;
  let releaseId: string;
  beforeAll(async () => {
    // A production tenant without quota or maintenance window: the upgrade to 1.3.0 succeeds.
    const list = await api("GET", "/helm/releases?tenant=wonka&chart=matih-query-engine&version=1.2.0");
    releaseId = list.body[0].id;
    s = await openBrowser({ as: platformAdmin() });
  });
  afterAll(async () => {
    await s?.close();
    // Leave the demo fleet as it was (the dashboard test counts it), even if this test failed midway.
    const release = (await api("GET", `/helm/releases/${releaseId}`)).body;
    if (release.chartVersion !== "1.2.0") {
      const revisions = (await api("GET", `/helm/releases/${releaseId}/revisions`)).body as { revision: number; chartVersion: string; status: string }[];
      const back = revisions.find((r) => r.chartVersion === "1.2.0" && r.status !== "FAILED");
      if (back) await api("POST", `/helm/releases/${releaseId}/rollback`, { revision: back.revision });
    }
  });

  it("shows the plan before upgrading with an override, then the new revision and its diff, then rolls back", async () => {
    const { page } = s;
    await page.goto(`/releases/${releaseId}`);
    await page.getByTestId("release-summary").waitFor();
    const before = (await api("GET", `/helm/releases/${releaseId}`)).body;

    await page.getByLabel("Target chart version").selectOption("1.3.0");
    const editor = page.getByLabel("Values override (YAML)");
    await editor.fill("replicaCount: [4");
    await expect.poll(() => page.getByRole("alert").filter({ hasText: "YAML error" }).count()).toBe(1);
    await editor.fill("replicaCount: 4\nengine:\n  workers: 6\n");
    await page.getByLabel("Description").fill("e2e: more replicas");
    await page.getByRole("button", { name: "Check upgrade plan" }).click();
    const plan = page.getByTestId("upgrade-plan");
    await plan.waitFor();
    expect(await plan.locator("[data-testid^=check-]").count()).toBe(5);
    const planText = await plan.textContent();
    expect(planText).toContain("replicaCount");
    expect(planText).toContain("image.tag");
    await screenshot(page, "release-plan");

    await page.getByRole("button", { name: "Confirm upgrade to 1.3.0" }).click();
    const result = page.getByTestId("upgrade-result");
    await result.waitFor();
    const newRevision = before.latestRevision + 1;
    expect(await result.textContent()).toContain(`Recorded revision ${newRevision}`);
    expect(await result.textContent()).toContain("DEPLOYED");
    await page.getByTestId(`revision-${newRevision}`).waitFor();
    expect(await page.getByTestId(`revision-${newRevision}`).textContent()).toContain("e2e: more replicas");

    // The values tabs are an ARIA tablist: arrow keys move between them and select.
    const tabs = page.getByRole("tablist", { name: "Which values" });
    await tabs.getByRole("tab", { name: "Computed values" }).focus();
    await page.keyboard.press("ArrowRight");
    const userTab = tabs.getByRole("tab", { name: "User values" });
    expect(await userTab.getAttribute("aria-selected")).toBe("true");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("User values");
    await page.keyboard.press("ArrowRight");
    const panel = page.getByRole("tabpanel", { name: "Override sent" });
    await expect.poll(() => panel.textContent()).toContain("workers: 6");

    // Compare defaults to the two newest revisions: the upgrade's own diff.
    const diff = page.getByTestId("revision-diff");
    await expect.poll(() => diff.textContent()).toContain("replicaCount");
    expect(await diff.textContent()).toContain("engine.workers");
    const after = (await api("GET", `/helm/releases/${releaseId}/revisions/${newRevision}`)).body;
    expect(after.values.replicaCount).toBe(4);
    expect(after.valuesOverride).toEqual({ replicaCount: 4, engine: { workers: 6 } });
    await screenshot(page, "release-upgraded");

    // A real dialog: Escape leaves everything as it was; opened again, one Enter confirms.
    const rollBack = page.getByRole("button", { name: `Roll back to revision ${before.revision}` });
    const dialog = page.getByRole("dialog", { name: `Roll ${before.tenantSlug}/${before.namespace}/${before.name} back to revision ${before.revision}?` });
    await rollBack.click();
    await dialog.waitFor();
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "hidden" });
    expect((await api("GET", `/helm/releases/${releaseId}`)).body.latestRevision).toBe(newRevision);
    await rollBack.click();
    await dialog.waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(`Yes, roll back to ${before.revision}`);
    await page.keyboard.press("Enter");
    const rolled = page.getByTestId("rollback-result");
    await rolled.waitFor();
    expect(await rolled.textContent()).toContain(`revision ${newRevision + 1}`);
    await expect.poll(async () => (await api("GET", `/helm/releases/${releaseId}`)).body.chartVersion).toBe("1.2.0");
    await expect.poll(() => page.getByTestId("release-summary").textContent()).toContain("1.2.0");
  });

  it("warns before an upgrade that will not fit the quota, then shows the FAILED revision and its reason", async () => {
    const { page } = s;
    const umbrella = (await api("GET", "/helm/releases?tenant=umbrella&chart=matih-query-engine")).body.find((r: { chartVersion: string }) => r.chartVersion !== "1.3.0");
    await page.goto(`/releases/${umbrella.id}`);
    await page.getByTestId("release-summary").waitFor();
    await page.getByLabel("Target chart version").selectOption("1.3.0");
    await page.getByRole("button", { name: "Check upgrade plan" }).click();
    await page.getByTestId("upgrade-plan").waitFor();
    expect(await page.getByTestId("check-resources").textContent()).toMatch(/^WARN/);
    await page.getByRole("button", { name: "Confirm upgrade to 1.3.0" }).click();
    const result = page.getByTestId("upgrade-result");
    await result.waitFor();
    expect(await result.textContent()).toContain("FAILED");
    expect(await result.textContent()).toMatch(/cpu|memory/);
    // What runs is still the old version: the failed attempt is listed, not deployed.
    await expect.poll(() => page.getByTestId("release-summary").textContent()).toContain(umbrella.chartVersion);
    await page.goto("/");
    await page.getByTestId("trouble-list").getByText(`umbrella/${umbrella.namespace}/${umbrella.name}`).waitFor();
    await screenshot(page, "dashboard-with-failure");
  });

  it("offers a viewer neither upgrade nor rollback", async () => {
    const viewer = await openBrowser({ as: demoUser("wonka", "viewer") });
    try {
      await viewer.page.goto(`/releases/${releaseId}`);
      await viewer.page.getByTestId("release-summary").waitFor();
      await viewer.page.getByRole("table", { name: "Revision history" }).waitFor();
      expect(await viewer.page.getByRole("button", { name: /Roll back/ }).count()).toBe(0);
      expect(await viewer.page.getByRole("button", { name: /Check upgrade plan/ }).count()).toBe(0);
      expect(await viewer.page.getByTestId("whoami").textContent()).toContain("viewer");
    } finally {
      await viewer.close();
    }
  });
});
