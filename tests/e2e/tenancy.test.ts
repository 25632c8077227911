import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, openBrowser, type Session } from "./browser";

describe("a tenant-scoped user", () => {
  let s: Session;
  let otherRelease: string;
  beforeAll(async () => {
    const tenants = (await api("GET", "/tenants")).body as { id: string; slug: string }[];
    const acme = tenants.find((t) => t.slug === "acme")!;
    const created = await api("POST", "/tokens", { name: "e2e-acme-admin", role: "tenant-admin", tenantId: acme.id });
    expect(created.status).toBe(201);
    otherRelease = (await api("GET", "/helm/releases?tenant=globex")).body[0].id;
    s = await openBrowser({ token: created.body.token });
  });
  afterAll(async () => {
    await s?.close();
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
