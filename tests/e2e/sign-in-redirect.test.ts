import { describe, expect, it } from "vitest";
import { baseUrl, demoUser, openBrowser, signIn } from "./browser";

/** The probe's open redirect, in the browser that would have followed it. */
describe("signing in from a hostile link", () => {
  it("lands on this site, however the callbackUrl points elsewhere, and signing out ends the session", async () => {
    const anon = await openBrowser({ as: null });
    try {
      const { page, context } = anon;
      const origin = new URL(baseUrl()).origin;
      await signIn(page, demoUser("acme", "admin"), "/\\evil.test/phish");
      await page.waitForURL((url) => url.origin === origin && !url.pathname.startsWith("/sign-in"));
      expect(new URL(page.url()).origin).toBe(origin);
      await page.getByTestId("whoami").waitFor();

      const cookie = (await context.cookies()).find((c) => c.name.endsWith("next-auth.session-token"));
      expect(cookie).toBeTruthy();
      await page.getByRole("button", { name: "Sign out" }).click();
      // Polled, not waitForURL: signing out may replace one navigation by the next, and
      // waitForURL fails on the replaced one (net::ERR_ABORTED, seen once in CI).
      await expect.poll(() => new URL(page.url()).pathname, { timeout: 30_000 }).toMatch(/^\/sign-in/);
      // The cookie the browser held is worthless now, also to someone who copied it.
      const reuse = await fetch(`${baseUrl()}/api/v1/helm/releases`, { headers: { Cookie: `${cookie!.name}=${cookie!.value}` } });
      expect(reuse.status).toBe(401);
    } finally {
      await anon.close();
    }
  });
});
