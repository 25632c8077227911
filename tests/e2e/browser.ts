import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Locator, type Page } from "playwright-core";
import { inject } from "vitest";

export const baseUrl = () => inject("e2eBaseUrl");
export const adminToken = () => inject("e2eAdminToken");

export const screenshotDir = path.resolve(import.meta.dirname, "..", "..", "docs", "screenshots");

export interface Session {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/**
 * Debian's Chromium, headless, with a throw-away profile. Until UI sign-in lands the caller is
 * a bearer token sent on every request of the page (fetches to /api/trpc included).
 */
export async function openBrowser({ token, width = 1280, height = 900 }: { token: string | null; width?: number; height?: number }): Promise<Session> {
  const userDataDir = mkdtempSync(path.join(tmpdir(), "helmdeck-chromium-"));
  // A persistent context is how playwright takes a fresh --user-data-dir.
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    baseURL: baseUrl(),
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
  if (token) await context.setExtraHTTPHeaders({ Authorization: `Bearer ${token}` });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
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
