import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, demoUser, openBrowser, screenshot, type Session } from "./browser";

describe("a tenant-scoped user", () => {
  let s: Session;
  let otherRelease: string;
  beforeAll(async () => {
    otherRelease = (await api("GET", "/helm/releases?tenant=globex")).body[0].id;
    s = await openBrowser({ as: demoUser("acme", "admin") });
  });
  afterAll(async () => {
    await s?.close();
  });

  it("is known from the first byte of the page: the server rendered who is signed in", async () => {
    const response = await s.page.goto("/releases");
    const html = await response!.text();
    expect(html).toContain("tenant-admin");
    expect(html).toContain("acme");
    expect(html).not.toContain("Checking who you are");
  });

  it("sees only its own tenant's releases and no platform administration", async () => {
    const { page } = s;
    await page.goto("/releases");
    await page.getByTestId("release-row").first().waitFor();
    const tenants = await page.getByTestId("release-row").evaluateAll((rows) => rows.map((r) => r.children[1]!.textContent));
    expect(new Set(tenants)).toEqual(new Set(["acme"]));
    expect(await page.getByTestId("whoami").textContent()).toContain("acme");
    const nav = page.getByRole("navigation", { name: "Main" });
    expect(await nav.getByRole("link", { name: "Batches" }).count()).toBe(0);
    expect(await nav.getByRole("link", { name: "Tokens" }).count()).toBe(0);
  });

  it("is told another tenant's release is not found", async () => {
    const { page } = s;
    await page.goto(`/releases/${otherRelease}`);
    // (Next's route announcer is an empty role=alert too: look for ours by its words.)
    const alert = page.getByRole("alert").filter({ hasText: /not found/i });
    await alert.first().waitFor();
    expect(await page.getByTestId("release-summary").count()).toBe(0);
  });
});

describe("a visitor who is not signed in", () => {
  it("is sent to the sign-in page, which can be filled in from the keyboard", async () => {
    const anon = await openBrowser({ as: null });
    try {
      const { page } = anon;
      await page.goto("/releases");
      await page.waitForURL(/\/sign-in\?callbackUrl=%2Freleases/);
      const heading = page.getByRole("heading", { name: "Sign in to Helmdeck" });
      await heading.waitFor();
      // The form renders on the client (useSearchParams): wait for it, not only for the heading.
      await page.locator("#email").waitFor();
      await heading.click(); // the keyboard starts from the top of the card
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("email");
      await page.keyboard.type("admin@example.com");
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.id)).toBe("password");
      await screenshot(page, "sign-in");
    } finally {
      await anon.close();
    }
  });
});
