import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminToken, openBrowser, screenshot, type Session } from "./browser";

// The `batches` tRPC router is built on another branch (issue 6). Remove the skip when it is
// merged: src/components/batches/batch-api.ts explains the one-line switch.
describe.skip("batch upgrade page (needs the batches router, merged separately)", () => {
  let s: Session;
  beforeAll(async () => {
    s = await openBrowser({ token: adminToken() });
  });
  afterAll(async () => {
    await s?.close();
  });

  it("previews, runs and watches every release of a batch move live", async () => {
    const { page } = s;
    await page.goto("/batches?chart=matih-gateway&target=2.1.0");
    await page.getByRole("button", { name: "Preview (dry run)" }).click();
    await page.getByTestId("batch-preview").waitFor();
    expect(await page.getByTestId("preview-row").count()).toBe(1);
    await page.getByRole("button", { name: "Run batch to 2.1.0" }).click();
    await page.waitForURL(/\/batches\/[0-9a-f-]{36}$/);
    await page.getByTestId("batch-item").first().waitFor();
    await expect.poll(() => page.getByTestId("batch-item").first().getAttribute("data-status"), { timeout: 30_000 }).toBe("UPGRADED");
    expect(await page.getByTestId("batch-counts").textContent()).toContain("upgraded1");
    await screenshot(page, "batch");
    await page.getByRole("button", { name: "Roll back batch" }).click();
    await page.getByRole("button", { name: "Yes, rollback" }).click();
    await page.waitForURL((url) => !url.pathname.endsWith(page.url().split("/").pop()!));
    await page.goto("/batches");
    expect(await page.getByTestId("batch-row").count()).toBeGreaterThanOrEqual(2);
  });
});
