import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import parsePrometheus, { type MetricFamily } from "parse-prometheus-text-format";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { nextBin, projectRoot } from "../../scripts/lib/build";
import { jsonLogLines, serverApi, signInAt } from "../helpers/own-server";
import { freePort, startServer, type ServerProcess } from "../helpers/server-process";

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const METRICS_TOKEN = `metrics-${randomBytes(12).toString("hex")}`;
const ADMIN = { email: "ops-admin@ops.test", password: `admin-pw-${randomBytes(6).toString("hex")}` };
// Strings that must never reach the log, whatever path they travel.
const VALUE_MARKER = `value-marker-${randomBytes(6).toString("hex")}`;
const WRONG_PASSWORD = `wrong-password-${randomBytes(6).toString("hex")}`;

const sample = (families: MetricFamily[], name: string, labels: Record<string, string>): number | undefined => {
  const family = families.find((f) => f.name === name);
  const found = family?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return found?.value === undefined ? undefined : Number(found.value);
};

describe("operating Helmdeck: probes, request ids, logs and metrics on a real server", () => {
  let server: ServerProcess;
  let call: ReturnType<typeof serverApi>;
  const releaseIds: string[] = [];
  let chartName: string;

  beforeAll(async () => {
    server = await startServer({
      HELMDECK_DEMO: "0",
      HELMDECK_LOG_LEVEL: "info",
      HELMDECK_LOG_FORMAT: "json",
      HELMDECK_METRICS_TOKEN: METRICS_TOKEN,
      HELMDECK_ADMIN_EMAIL: ADMIN.email,
      HELMDECK_ADMIN_PASSWORD: ADMIN.password,
    });
    call = serverApi(server.url, server.token);
    chartName = `ops-app-${randomBytes(3).toString("hex")}`;
    for (const version of ["1.0.0", "1.1.0"]) {
      const published = await call("POST", "/api/v1/helm/charts", {
        body: { name: chartName, version, appVersion: version, defaultValues: { replicaCount: 1, resources: { requests: { cpu: "100m", memory: "128Mi" } } } },
      });
      expect(published.status).toBe(201);
    }
    const tenant = await call("POST", "/api/v1/tenants", { body: { slug: `ops-${randomBytes(3).toString("hex")}`, name: "Ops", environment: "development" } });
    expect(tenant.status).toBe(201);
    for (const name of ["one", "two", "three"]) {
      const installed = await call("POST", "/api/v1/helm/releases", {
        body: { tenantId: tenant.body.id, name, namespace: "apps", chartName, chartVersion: "1.0.0", valuesOverride: { note: VALUE_MARKER } },
      });
      expect(installed.status).toBe(201);
      releaseIds.push(installed.body.release.id);
    }
    // One install the tenant's quota refuses: a failed operation to count.
    const small = await call("POST", "/api/v1/tenants", { body: { slug: `ops-small-${randomBytes(3).toString("hex")}`, name: "Small", environment: "production", quota: { cpu: "10m", memory: "1Mi" } } });
    const refused = await call("POST", "/api/v1/helm/releases", { body: { tenantId: small.body.id, name: "too-big", namespace: "apps", chartName, chartVersion: "1.0.0" } });
    expect(refused.body.revision.status).toBe("FAILED");
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("answers the probes: livez without the database, readyz and health once the database answers", async () => {
    const livez = await fetch(`${server.url}/api/livez`);
    expect(livez.status).toBe(200);
    for (const probe of ["/api/readyz", "/api/health"]) {
      const res = await fetch(`${server.url}${probe}`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: "ok", database: "pglite" });
    }
  });

  it("returns the caller's request id on REST, tRPC, event-stream answers and pages, and logs one JSON line for the request under it", async () => {
    const id = `ops-rt-${randomBytes(4).toString("hex")}`;
    const rest = await call("GET", `/api/v1/helm/releases/${releaseIds[0]}`, { headers: { "x-request-id": `${id}-rest` } });
    expect(rest.status).toBe(200);
    expect(rest.headers.get("x-request-id")).toBe(`${id}-rest`);

    const trpc = await call("GET", `/api/trpc/releases.get?input=${encodeURIComponent(JSON.stringify({ releaseId: releaseIds[0] }))}`, { headers: { "x-request-id": `${id}-trpc` } });
    expect(trpc.headers.get("x-request-id")).toBe(`${id}-trpc`);

    const batch = await call("POST", `/api/v1/helm/releases/chart/${chartName}/batch-upgrade?targetVersion=1.1.0&dryRun=true`);
    expect(batch.status).toBe(200);
    const missing = await fetch(`${server.url}/api/v1/helm/batches/${releaseIds[0]}/events`, { headers: { Authorization: `Bearer ${server.token}`, "x-request-id": `${id}-sse` } });
    expect(missing.headers.get("x-request-id")).toBe(`${id}-sse`);
    await missing.body?.cancel();
    const page = await fetch(`${server.url}/sign-in`, { headers: { "x-request-id": `${id}-page` } });
    expect(page.headers.get("x-request-id")).toBe(`${id}-page`);

    await expect.poll(() => jsonLogLines(server.output()).find((l) => l.requestId === `${id}-rest` && l.msg === "request")).toBeDefined();
    const line = jsonLogLines(server.output()).find((l) => l.requestId === `${id}-rest` && l.msg === "request")!;
    expect(line).toMatchObject({ method: "GET", route: "/api/v1/helm/releases/:releaseId", status: 200, actor: "token:bootstrap", service: "helmdeck" });
    expect(typeof line.durationMs).toBe("number");
    expect(jsonLogLines(server.output()).filter((l) => l.requestId === `${id}-rest` && l.msg === "request")).toHaveLength(1);
    expect(jsonLogLines(server.output()).find((l) => l.requestId === `${id}-trpc` && l.msg === "request")).toMatchObject({ route: "/api/trpc/releases.get" });
    expect(jsonLogLines(server.output()).find((l) => l.requestId === `${id}-sse` && l.msg === "request")).toMatchObject({ route: "/api/v1/helm/batches/:batchId/events" });
  });

  it("replaces a request id that is too long or not plain text with a generated one", async () => {
    for (const bad of ["has spaces in it", "x".repeat(200), "quote\"and{brace}"]) {
      const res = await fetch(`${server.url}/api/livez`, { headers: { "x-request-id": bad } });
      expect(res.headers.get("x-request-id")).toMatch(new RegExp(`^${UUID.source}$`));
    }
  });

  it("logs a state change under the request id of the request that made it", async () => {
    const id = `ops-change-${randomBytes(4).toString("hex")}`;
    const upgraded = await call("POST", `/api/v1/helm/releases/${releaseIds[0]}/upgrade`, {
      body: { chartVersion: "1.1.0", valuesOverride: { note: VALUE_MARKER }, description: "ops upgrade" },
      headers: { "x-request-id": id },
    });
    expect(upgraded.status).toBe(200);
    expect(upgraded.body.revision.status).toBe("DEPLOYED");
    await expect.poll(() => jsonLogLines(server.output()).filter((l) => l.requestId === id && l.event === "audit").map((l) => l.action)).toEqual([
      "release.upgrade.start",
      "release.upgrade.succeeded",
    ]);
    expect(jsonLogLines(server.output()).find((l) => l.requestId === id && l.event === "audit")).toMatchObject({ actor: "token:bootstrap", targetType: "release", releaseId: releaseIds[0] });
  });

  it("serves metrics only with the metrics token or a platform-admin token", async () => {
    const viewer = await call("POST", "/api/v1/tokens", { body: { name: `ops-viewer-${Date.now()}`, role: "viewer", tenantId: null } });
    expect(viewer.status).toBe(201);
    const status = async (headers: Record<string, string>) => (await fetch(`${server.url}/api/metrics`, { headers })).status;
    expect(await status({})).toBe(401);
    expect(await status({ Authorization: "Bearer not-the-token-at-all" })).toBe(401);
    expect(await status({ Authorization: `Bearer ${viewer.body.token}` })).toBe(401);
    expect(await status({ Authorization: `Bearer ${METRICS_TOKEN}` })).toBe(200);
    expect(await status({ Authorization: `Bearer ${server.token}` })).toBe(200);
  });

  it("counts release operations, batch items and batches, labels requests by route template, and exposes process metrics", async () => {
    const scrape = async () => {
      const res = await fetch(`${server.url}/api/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
      expect(res.headers.get("content-type")).toContain("text/plain");
      const text = await res.text();
      return { text, families: parsePrometheus(text) };
    };
    const before = await scrape();
    const upgradesBefore = sample(before.families, "helmdeck_release_operations_total", { operation: "upgrade", result: "succeeded" }) ?? 0;

    const batch = await call("POST", `/api/v1/helm/releases/chart/${chartName}/batch-upgrade?targetVersion=1.1.0`);
    expect(batch.status).toBe(200);
    expect(batch.body).toHaveLength(2);

    const { text, families } = await scrape();
    expect(sample(families, "helmdeck_release_operations_total", { operation: "install", result: "succeeded" })).toBe(3);
    expect(sample(families, "helmdeck_release_operations_total", { operation: "install", result: "failed" })).toBe(1);
    expect(sample(families, "helmdeck_release_operations_total", { operation: "upgrade", result: "succeeded" })).toBe(upgradesBefore + 2);
    expect(sample(families, "helmdeck_release_operations_total", { operation: "rollback", result: "succeeded" })).toBe(0);
    expect(sample(families, "helmdeck_batch_items_total", { result: "upgraded" })).toBe(2);
    expect(sample(families, "helmdeck_batch_items_total", { result: "failed" })).toBe(0);
    expect(sample(families, "helmdeck_batches", { status: "SUCCEEDED" })).toBe(1);
    expect(sample(families, "helmdeck_batches", { status: "RUNNING" })).toBe(0);
    expect(families.find((f) => f.name === "helmdeck_webhook_deliveries_total")).toMatchObject({ type: "COUNTER", metrics: [] });

    // The parser from npm flattens labelled histograms: their series are read from the text.
    expect(families.find((f) => f.name === "helmdeck_release_operation_duration_seconds")?.type).toBe("HISTOGRAM");
    expect(text).toMatch(/^helmdeck_release_operation_duration_seconds_count\{operation="upgrade"\} 3$/m);
    expect(text).toMatch(/^helmdeck_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/helm\/releases\/:releaseId\/upgrade"\} 1$/m);

    expect(sample(families, "helmdeck_http_requests_total", { method: "POST", route: "/api/v1/helm/releases/:releaseId/upgrade", status: "200" })).toBe(1);
    expect(sample(families, "helmdeck_http_requests_total", { method: "POST", route: "/api/v1/helm/releases/chart/:chartName/batch-upgrade", status: "200" })).toBe(2);
    const routes = families.find((f) => f.name === "helmdeck_http_requests_total")!.metrics.map((m) => m.labels!.route!);
    expect(routes.filter((r) => UUID.test(r) || r.includes(chartName))).toEqual([]);
    expect(families.map((f) => f.name)).toEqual(expect.arrayContaining(["process_cpu_user_seconds_total", "process_resident_memory_bytes", "nodejs_eventloop_lag_seconds"]));
  });

  it("never writes values, tokens or passwords to the log", async () => {
    const wrong = await signInAt(server.url, ADMIN.email, WRONG_PASSWORD);
    expect(wrong.error).toBe("CredentialsSignin");
    const right = await signInAt(server.url, ADMIN.email, ADMIN.password);
    expect(right.error).toBeNull();
    await expect.poll(() => jsonLogLines(server.output()).filter((l) => l.action === "auth.sign-in.failure").length).toBeGreaterThan(0);

    const output = server.output();
    for (const secret of [VALUE_MARKER, WRONG_PASSWORD, ADMIN.password, server.token, METRICS_TOKEN]) expect(output).not.toContain(secret);
    // Every line is JSON (apart from Next's own banner before the logger starts).
    const lines = output.split("\n").filter((l) => l.startsWith("{"));
    expect(lines.length).toBeGreaterThan(20);
    expect(jsonLogLines(output)).toHaveLength(lines.length);
  });
});

describe("configuration is checked before anything starts", () => {
  const run = (args: string[], env: Record<string, string>) =>
    new Promise<{ code: number | null; output: string; seconds: number }>((resolve) => {
      const started = performance.now();
      const child = spawn(process.execPath, args, { cwd: projectRoot, env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", ...env }, stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout.on("data", (d) => (output += d));
      child.stderr.on("data", (d) => (output += d));
      const killer = setTimeout(() => child.kill("SIGKILL"), 60_000);
      child.on("exit", (code) => {
        clearTimeout(killer);
        resolve({ code, output, seconds: (performance.now() - started) / 1000 });
      });
    });

  it("a bare `next start` with a bad value exits non-zero within seconds, naming the variable", async () => {
    const port = await freePort();
    const result = await run([nextBin, "start", "-p", String(port), "-H", "127.0.0.1"], { HELMDECK_SHUTDOWN_SECONDS: "soon", HELMDECK_DATA_DIR: "/nonexistent/never-created" });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("HELMDECK_SHUTDOWN_SECONDS");
    expect(result.seconds).toBeLessThan(30);
  });

  it("`npm start` with a bad value exits before building, naming the variable", async () => {
    const tsx = path.join(projectRoot, "node_modules", "tsx", "dist", "cli.mjs");
    const result = await run([tsx, "scripts/start.ts"], { HELMDECK_LOG_LEVEL: "loud", PORT: "not-a-port" });
    expect(result.code).toBe(1);
    expect(result.output).toContain("HELMDECK_LOG_LEVEL");
    expect(result.output).toContain("PORT");
    expect(result.output).not.toContain("building");
  });
});
