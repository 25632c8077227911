import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Locator, type Page } from "playwright-core";
import { inject } from "vitest";

export const baseUrl = () => inject("e2eBaseUrl");
/** The platform-admin API token, for REST set-up and checks outside the browser. */
export const adminToken = () => inject("e2eAdminToken");

export const screenshotDir = path.resolve(import.meta.dirname, "..", "..", "docs", "screenshots");

export interface Credentials {
  email: string;
  password: string;
}

/** The platform admin the e2e server was started with (HELMDECK_ADMIN_EMAIL/PASSWORD). */
export const platformAdmin = (): Credentials => ({ email: inject("e2eAdminEmail"), password: inject("e2eAdminPassword") });
/** A demo account of the seed (docs/identity.md), e.g. demoUser("acme", "admin") is acme's tenant-admin. */
export const demoUser = (tenant: string, role: "admin" | "viewer"): Credentials => ({ email: `${tenant}-${role}@demo.helmdeck.local`, password: "demo-password" });

export interface Session {
  context: BrowserContext;
  page: Page;
  /** Same-origin responses that answered 404 (a missing icon, a broken link), as "path status". */
  notFound: string[];
  close(): Promise<void>;
}

/** Signs in through the form, as a person does, and waits for the page it leads to. */
export async function signIn(page: Page, { email, password }: Credentials, callbackPath = "/") {
  await page.goto(`/sign-in?callbackUrl=${encodeURIComponent(callbackPath)}`);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => url.pathname !== "/sign-in");
}

/**
 * Debian's Chromium, headless, with a throw-away profile, signed in through the sign-in form
 * as `as` (null: nobody). `bearer` sends an API token on every request instead, for the tests
 * that are about tokens. `url`: another server than the shared e2e one (a test with a fleet of its own).
 */
export async function openBrowser({ as, bearer, width = 1280, height = 900, url = baseUrl() }: { as: Credentials | null; bearer?: string; width?: number; height?: number; url?: string }): Promise<Session> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), "helmdeck-chromium-"));
  // A persistent context is how playwright takes a fresh --user-data-dir.
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    baseURL: url,
    viewport: { width, height },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  if (bearer) await context.setExtraHTTPHeaders({ Authorization: `Bearer ${bearer}` });
  const page = context.pages()[0] ?? (await context.newPage());
  const notFound: string[] = [];
  const origin = new URL(url).origin;
  context.on("response", (res) => {
    const url = new URL(res.url());
    if (url.origin === origin && res.status() === 404) notFound.push(`${url.pathname} ${res.status()}`);
  });
  if (as) await signIn(page, as);
  return {
    context,
    page,
    notFound,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string, mask: Locator[] = []) {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true, mask });
}

/** REST call with a bearer token (defaults to the platform admin). */
export async function api<T = any>(method: string, urlPath: string, body?: unknown, token = adminToken()): Promise<{ status: number; body: T }> {
  const res = await fetch(`${baseUrl()}/api/v1${urlPath}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}
