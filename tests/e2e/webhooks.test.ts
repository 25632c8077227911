import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signatureValid, startReceiver } from "../helpers/webhook-receiver";
import { api, demoUser, openBrowser, platformAdmin, type Session } from "./browser";

describe("the webhooks page", () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let s: Session;
  beforeAll(async () => {
    receiver = await startReceiver();
    s = await openBrowser({ as: platformAdmin() });
  });
  afterAll(async () => {
    // Later tests must not feed deliveries to a receiver that is gone.
    for (const w of (await api("GET", "/webhooks")).body as Array<{ id: string; url: string }>) {
      if (w.url.startsWith(receiver.url)) await api("DELETE", `/webhooks/${w.id}`);
    }
    await s?.close();
    await receiver?.close();
  });

  it("adds a webhook with a generated secret, sends a test event the receiver can verify, and shows it delivered", async () => {
    const { page } = s;
    await page.goto("/webhooks");
    await page.getByRole("heading", { name: "Webhooks" }).waitFor();
    await page.getByLabel("URL").fill(`${receiver.url}/ui`);
    await page.getByRole("button", { name: "Add webhook" }).click();
    const secret = (await page.getByTestId("new-webhook-secret").locator("code").textContent())!;
    expect(secret).toMatch(/^whsec_/);
    const card = page.getByTestId("webhook-card").filter({ has: page.getByText("release.upgraded") }).first();
    await card.getByRole("button", { name: "Send test" }).click();
    await card.getByTestId("delivery-row").filter({ hasText: "DELIVERED" }).waitFor();
    const [got] = await receiver.waitFor(1);
    expect(got!.body.type).toBe("webhook.test");
    expect(signatureValid(secret, got!.raw, got!.headers["x-helmdeck-signature"])).toBe(true);
  });

  it("is in the navigation of a tenant-admin, whose webhooks are its tenant's", async () => {
    const admin = await openBrowser({ as: demoUser("acme", "admin") });
    try {
      await admin.page.goto("/webhooks");
      await admin.page.getByRole("heading", { name: "Webhooks" }).waitFor();
      expect(await admin.page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Webhooks" }).count()).toBe(1);
      expect(await admin.page.getByLabel("Tenant").count()).toBe(0);
    } finally {
      await admin.close();
    }
  });
});
