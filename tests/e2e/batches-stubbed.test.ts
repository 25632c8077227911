import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BatchItemView, BatchView } from "@/contracts/batches";
import { api, openBrowser, platformAdmin, type Session } from "./browser";

type Handler = (input: unknown) => unknown;

/**
 * Answers the `batches.*` tRPC procedures in the browser (the router is built on another
 * branch) and passes every other procedure of the same HTTP batch through to the real server.
 * The live subscription is refused, so the page falls back to polling. This checks the UI
 * against the contract in src/contracts/batches.ts; tests/e2e/batches.test.ts checks it
 * against the real router once merged.
 */
async function stubBatchesRouter(page: Page, handlers: Record<string, Handler>) {
  await page.route(/\/api\/trpc\//, async (route) => {
    const req = route.request();
    const url = new URL(req.url());
    const procs = decodeURIComponent(url.pathname.slice("/api/trpc/".length)).split(",");
    if (!procs.some((p) => p.startsWith("batches."))) return route.continue();
    if (procs[0] === "batches.events") return route.fulfill({ status: 503, body: "" });
    const get = req.method() === "GET";
    const inputs = JSON.parse((get ? url.searchParams.get("input") : req.postData()) ?? "{}") as Record<string, unknown>;
    const results: unknown[] = new Array(procs.length);
    const others = procs.map((p, i) => [p, i] as const).filter(([p]) => !p.startsWith("batches."));
    if (others.length) {
      const otherInputs = Object.fromEntries(others.map(([, i], j) => [String(j), inputs[String(i)]]));
      const otherUrl = `${url.origin}/api/trpc/${others.map(([p]) => p).join(",")}?batch=1${get ? `&input=${encodeURIComponent(JSON.stringify(otherInputs))}` : ""}`;
      const res = await route.fetch({ url: otherUrl, method: req.method(), postData: get ? undefined : JSON.stringify(otherInputs) });
      const body = (await res.json()) as unknown[];
      others.forEach(([, i], j) => (results[i] = body[j]));
    }
    procs.forEach((p, i) => {
      if (p.startsWith("batches.")) results[i] = { result: { data: handlers[p]!(inputs[String(i)]) } };
    });
    await route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify(results) });
  });
}

const CHECKS = ["breaking-changes", "values-compatible", "resources", "tested-in-development", "upgrade-window"];

describe("batch pages against a stubbed batches router", () => {
  let s: Session;
  let items: BatchItemView[];
  let batch: BatchView;
  let polls = 0;
  const started: unknown[] = [];

  beforeAll(async () => {
    const lagging = (await api("GET", "/helm/releases/chart/matih-gateway/needs-upgrade?targetVersion=3.0.0")).body as { id: string; tenantSlug: string; name: string; chartVersion: string }[];
    items = lagging.map((r, i) => ({ position: i + 1, releaseId: r.id, tenantSlug: r.tenantSlug, releaseName: r.name, fromVersion: r.chartVersion, status: "PENDING", revision: null, error: null }));
    s = await openBrowser({ as: platformAdmin() });
    const now = new Date().toISOString();
    const counts = (list: BatchItemView[]) => ({
      total: list.length,
      pending: list.filter((i) => i.status === "PENDING" || i.status === "RUNNING").length,
      upgraded: list.filter((i) => i.status === "UPGRADED").length,
      failed: list.filter((i) => i.status === "FAILED").length,
      skipped: list.filter((i) => i.status === "SKIPPED").length,
    });
    // Each poll moves the batch one step: PENDING → RUNNING → UPGRADED, the last one FAILED.
    const advance = () => {
      polls++;
      const step = Math.min(polls, items.length * 2);
      const next = items.map((item, i) => {
        if (step > i * 2 + 1) return i === items.length - 1 ? { ...item, status: "FAILED" as const, error: "requests exceed quota: cpu 3 > 2.5" } : { ...item, status: "UPGRADED" as const, revision: 3 };
        if (step > i * 2) return { ...item, status: "RUNNING" as const };
        return item;
      });
      const c = counts(next);
      batch = { ...batch, items: next, counts: c, status: c.pending ? "RUNNING" : c.upgraded ? "PARTIALLY_FAILED" : "FAILED", finishedAt: c.pending ? null : new Date().toISOString() };
      return batch;
    };
    batch = { id: "5b0c3c1e-0000-4000-8000-000000000001", kind: "upgrade", chartName: "matih-gateway", targetVersion: "3.0.0", status: "QUEUED", counts: counts(items), items, itemsNext: null, options: {}, rollbackOf: null, policyId: null, createdBy: "token:bootstrap", createdAt: now, startedAt: now, finishedAt: null };
    await stubBatchesRouter(s.page, {
      "batches.list": () => [batch],
      "batches.preview": () => ({
        dryRun: true,
        chartName: "matih-gateway",
        targetVersion: "3.0.0",
        counts: { total: items.length, upgrade: items.length, skip: 0, refuse: 0 },
        items: items.map((i) => ({
          releaseId: i.releaseId,
          tenantSlug: i.tenantSlug,
          releaseName: i.releaseName,
          namespace: "edge",
          fromVersion: i.fromVersion,
          action: "upgrade",
          reason: null,
          plan: { releaseId: i.releaseId, currentVersion: i.fromVersion, targetVersion: "3.0.0", upgradeType: "major", values: {}, diff: [], checks: CHECKS.map((id) => ({ id, status: id === "breaking-changes" ? "warn" : "pass", message: id })) },
        })),
      }),
      "batches.start": (input) => {
        started.push(input);
        return batch;
      },
      "batches.get": () => (batch.finishedAt ? batch : advance()),
      "batches.rollback": () => ({ ...batch, id: "5b0c3c1e-0000-4000-8000-000000000002", kind: "rollback", rollbackOf: batch.id, status: "QUEUED" }),
    });
  });
  afterAll(async () => {
    await s?.close();
  });

  it("previews, runs, shows each release's progress and the counts, then offers a rollback", async () => {
    const { page } = s;
    await page.goto("/batches?chart=matih-gateway&target=3.0.0");
    await page.getByLabel("Canary").fill("1");
    await page.getByLabel("Max failures").fill("2");
    await page.getByText("Values, strategy and options").click();
    await page.getByLabel("Acknowledge breaking changes").check();
    const run = page.getByRole("button", { name: "Run batch to 3.0.0" });
    expect(await run.isDisabled()).toBe(true);
    await page.getByRole("button", { name: "Preview (dry run)" }).click();
    await page.getByTestId("batch-preview").waitFor();
    expect(await page.getByTestId("preview-row").count()).toBe(items.length);
    await run.click();
    await page.waitForURL(/\/batches\/5b0c3c1e-0000-4000-8000-000000000001$/);
    expect(started[0]).toMatchObject({ chartName: "matih-gateway", targetVersion: "3.0.0", canary: 1, maxFailures: 2, acknowledgeBreakingChanges: true, async: true });

    await page.getByTestId("batch-item").first().waitFor();
    await expect.poll(() => page.getByTestId("batch-item").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-status"))), { timeout: 30_000 }).toEqual([
      ...items.slice(0, -1).map(() => "UPGRADED"),
      "FAILED",
    ]);
    const bar = page.getByRole("progressbar", { name: "Batch progress" });
    expect(await bar.getAttribute("aria-valuenow")).toBe(String(items.length));
    expect(await page.getByText("requests exceed quota").count()).toBe(1);

    await page.getByRole("button", { name: "Roll back batch" }).click();
    await page.getByRole("button", { name: "Yes, roll back batch" }).click();
    await page.waitForURL(/000000000002$/);
  });
});
