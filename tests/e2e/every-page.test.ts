import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, demoUser, openBrowser, platformAdmin, screenshot, type Credentials, type Session } from "./browser";

const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

interface Fixture {
  releaseId: string;
  batchId: string;
}

/** Every page of the UI, and what shows that it has finished loading its data. */
const PAGES: { name: string; path: (f: Fixture) => string; ready: (page: Page) => Promise<unknown> }[] = [
  { name: "dashboard", path: () => "/", ready: (p) => p.getByTestId("needs-upgrade-matih-query-engine").getByText(/\d+ releases? needs? upgrade/).waitFor() },
  { name: "releases", path: () => "/releases", ready: (p) => p.getByTestId("release-row").first().waitFor() },
  { name: "release", path: (f) => `/releases/${f.releaseId}`, ready: (p) => p.getByTestId("revision-diff").waitFor() },
  { name: "needs-upgrade", path: () => "/needs-upgrade", ready: (p) => p.getByTestId("needs-upgrade-count").waitFor() },
  { name: "batches", path: () => "/batches", ready: (p) => p.getByRole("heading", { name: "Batch upgrades" }).waitFor() },
  { name: "batch", path: (f) => `/batches/${f.batchId}`, ready: (p) => p.getByTestId("batch-item").first().waitFor() },
  { name: "charts", path: () => "/charts", ready: (p) => p.getByTestId("chart-versions").waitFor() },
  { name: "tenants", path: () => "/tenants", ready: (p) => p.getByRole("table", { name: "Tenants" }).waitFor() },
  { name: "webhooks", path: () => "/webhooks", ready: (p) => p.getByRole("heading", { name: "Webhooks" }).waitFor() },
  { name: "repositories", path: () => "/repositories", ready: (p) => p.getByRole("heading", { name: "Chart repositories" }).waitFor() },
  { name: "policies", path: () => "/policies", ready: (p) => p.getByRole("heading", { name: "Upgrade policies" }).waitFor() },
  { name: "tokens", path: () => "/tokens", ready: (p) => p.getByRole("heading", { name: "API tokens" }).waitFor() },
  { name: "audit", path: () => "/audit", ready: (p) => p.getByTestId("audit-row").first().waitFor() },
];

/** Waits for the page's own data, then for every loading indicator to be gone. */
async function visit(page: Page, path: string, ready: (page: Page) => Promise<unknown>) {
  await page.goto(path);
  await ready(page);
  await page.getByRole("status").filter({ hasText: /Loading…|Computing/ }).first().waitFor({ state: "detached" });
}

/** axe-core's violations on the page as it stands, one line each (rule, impact, where). */
async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: axePath });
  return page.evaluate(async () => {
    // A colour mid-transition (a button fading in as it becomes enabled) is no colour a reader is left with.
    await Promise.all(document.getAnimations().filter((a) => a instanceof CSSTransition).map((a) => a.finished.catch(() => undefined)));
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: unknown[] }[] }[] }> } }).axe;
    const { violations } = await axe.run(document, { resultTypes: ["violations"] });
    return violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
}

/**
 * How far the page scrolls sideways, and the elements that reach that far (what makes the
 * page wider than the screen; often an absolutely positioned element escaping a scroll box).
 */
async function horizontalOverflow(page: Page): Promise<{ overflow: number; culprits: string[] }> {
  return page.evaluate(() => {
    const width = document.scrollingElement!.scrollWidth;
    const overflow = width - window.innerWidth;
    const culprits =
      overflow <= 0
        ? []
        : [...document.querySelectorAll("body *")]
            .filter((el) => Math.abs(el.getBoundingClientRect().right - width) <= 1)
            .slice(0, 5)
            .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].slice(0, 5).join(".")} "${(el.textContent ?? "").slice(0, 30)}"`);
    return { overflow, culprits };
  });
}

/** One fixture for the whole file: a batch across two tenants, so a tenant admin has a batch page too. */
let shared: Promise<Fixture> | undefined;
function fixture(): Promise<Fixture> {
  shared ??= (async () => {
    const chart = `e2e-pages-${Date.now().toString(36)}`;
    for (const [version, replicaCount] of [["1.0.0", 1], ["1.1.0", 2]] as const) {
      expect((await api("POST", "/helm/charts", { name: chart, version, appVersion: version, defaultValues: { replicaCount } })).status).toBe(201);
    }
    const tenants = (await api<{ id: string; slug: string }[]>("GET", "/tenants")).body;
    for (const slug of ["acme", "globex"]) {
      const created = await api("POST", "/helm/releases", { tenantId: tenants.find((t) => t.slug === slug)!.id, name: chart, namespace: "e2e", chartName: chart, chartVersion: "1.0.0" });
      expect(created.status).toBe(201);
    }
    expect((await api("POST", `/helm/releases/chart/${chart}/batch-upgrade?targetVersion=1.1.0`)).status).toBe(200);
    return {
      batchId: (await api("GET", "/helm/batches")).body[0].id,
      // An acme release with history, so the release page has a diff to show.
      releaseId: (await api("GET", "/helm/releases?tenant=acme&chart=matih-query-engine&version=1.2.0")).body[0].id,
    };
  })();
  return shared;
}

describe.each<[string, () => Credentials]>([
  ["a platform admin", platformAdmin],
  ["a tenant admin", () => demoUser("acme", "admin")],
])("every page, as %s", (_who, credentials) => {
  let f: Fixture;
  let wide: Session;
  let narrow: Session;
  beforeAll(async () => {
    f = await fixture();
    wide = await openBrowser({ as: credentials() });
    narrow = await openBrowser({ as: credentials(), width: 390, height: 844 });
  });
  afterAll(async () => {
    await wide?.close();
    await narrow?.close();
  });

  it.each(PAGES)("$name has no axe violations", async ({ path, ready }) => {
    await visit(wide.page, path(f), ready);
    expect(await axeViolations(wide.page)).toEqual([]);
  });

  it.each(PAGES)("$name fits a 390 px screen without scrolling sideways", async ({ name, path, ready }) => {
    await visit(narrow.page, path(f), ready);
    expect(await horizontalOverflow(narrow.page)).toEqual({ overflow: 0, culprits: [] });
    if (credentials === platformAdmin && ["dashboard", "release"].includes(name)) await screenshot(narrow.page, `${name}-narrow`);
  });

  it("loaded no missing file (the icon included)", () => {
    expect([...wide.notFound, ...narrow.notFound]).toEqual([]);
  });
});

describe("the sign-in page", () => {
  it("has no axe violations and fits a 390 px screen", async () => {
    const anon = await openBrowser({ as: null, width: 390, height: 844 });
    try {
      await anon.page.goto("/sign-in");
      await anon.page.locator("#email").waitFor();
      expect(await axeViolations(anon.page)).toEqual([]);
      expect(await horizontalOverflow(anon.page)).toEqual({ overflow: 0, culprits: [] });
      expect(anon.notFound).toEqual([]);
    } finally {
      await anon.close();
    }
  });
});
