import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { buildIfNeeded } from "../../scripts/lib/build";
import { CORS_ORIGIN } from "./http";
import { templateOf } from "./openapi-contract";
import { startServer, type ServerProcess } from "./server-process";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    adminToken: string;
    adminEmail: string;
    adminPassword: string;
    /** JSON lines, one per /api/v1 exchange the tests made (tests/helpers/record-exchanges.ts). */
    exchangeLog: string;
  }
}

let server: ServerProcess | undefined;
let exchangeLog: string | undefined;

// The UI admin of the test server (the session tests sign in with it).
const admin = { email: "admin@http.test", password: "http-test-admin-password" };

/** Builds the app once per run and serves it with the demo seed for the HTTP contract tests. */
export async function setup(project: TestProject) {
  if (!buildIfNeeded()) throw new Error("next build failed");
  // A little simulated latency makes "operation in progress" observable over HTTP.
  server = await startServer({ HELMDECK_DEMO: "1", HELMDECK_SIMULATED_LATENCY_MS: "150", HELMDECK_ADMIN_EMAIL: admin.email, HELMDECK_ADMIN_PASSWORD: admin.password, HELMDECK_CORS_ORIGINS: CORS_ORIGIN });
  exchangeLog = path.join(mkdtempSync(path.join(tmpdir(), "helmdeck-contract-")), "exchanges.jsonl");
  project.provide("baseUrl", server.url);
  project.provide("adminToken", server.token);
  project.provide("adminEmail", admin.email);
  project.provide("adminPassword", admin.password);
  project.provide("exchangeLog", exchangeLog);
}

/** What the contract test saw: how many answers were checked, and which operations no test called. */
async function summarize(url: string, log: string) {
  let lines: { method: string; url: string; status: number; mismatches: number }[];
  try {
    lines = readFileSync(log, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));
  } catch {
    return;
  }
  const doc = await (await fetch(`${url}/api/v1/openapi.json`)).json();
  const seen = new Set(lines.map((l) => `${l.method === "HEAD" ? "GET" : l.method} ${templateOf(doc, new URL(l.url, url).pathname.slice("/api/v1".length))}`));
  const unseen = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, item]) =>
    Object.keys(item)
      .map((m) => `${m.toUpperCase()} ${p}`)
      .filter((op) => !seen.has(op)),
  );
  const mismatched = lines.reduce((n, l) => n + l.mismatches, 0);
  console.log(`contract: ${lines.length} /api/v1 answers checked against the OpenAPI document, ${mismatched} mismatches` + (unseen.length ? `; operations no HTTP test called: ${unseen.join(", ")}` : "; every operation called"));
}

export async function teardown() {
  if (server && exchangeLog) await summarize(server.url, exchangeLog).catch(() => undefined);
  await server?.stop();
}
