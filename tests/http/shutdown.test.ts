import { randomBytes } from "node:crypto";
import { and, count, eq, isNotNull } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { batchItems, batches, releases, revisions } from "@/server/db/schema";
import { installRelease } from "@/server/domain/releases/install-release";
import { openTestDatabase, type TestDatabase } from "../helpers/databases";
import { contextFor, givenChart, givenTenant } from "../helpers/fixtures";
import { jsonLogLines, serverApi } from "../helpers/own-server";
import { startServer, type ServerProcess } from "../helpers/server-process";

const exitOf = (server: ServerProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) return resolve({ code: server.child.exitCode, signal: server.child.signalCode });
    server.child.once("exit", (code, signal) => resolve({ code, signal }));
  });

describe("a clean stop (SIGTERM) [pglite]", () => {
  let server: ServerProcess;

  beforeAll(async () => {
    // Slow deploys keep an operation in flight long enough to watch the stop around it.
    server = await startServer({ HELMDECK_DEMO: "0", HELMDECK_SIMULATED_LATENCY_MS: "2500", HELMDECK_LOG_FORMAT: "json", HELMDECK_LOG_LEVEL: "info" });
  });

  afterAll(async () => {
    await server?.stop("SIGKILL");
  });

  it("answers readyz 503 and refuses new writes at once, lets the upgrade in flight finish, then exits 0", { timeout: 90_000 }, async () => {
    const call = serverApi(server.url, server.token);
    const chartName = `stop-app-${randomBytes(3).toString("hex")}`;
    for (const version of ["1.0.0", "1.1.0"]) await call("POST", "/api/v1/helm/charts", { body: { name: chartName, version, appVersion: version, defaultValues: { replicaCount: 1 } } });
    const tenant = await call("POST", "/api/v1/tenants", { body: { slug: `stop-${randomBytes(3).toString("hex")}`, name: "Stop", environment: "development" } });
    const installed = await call("POST", "/api/v1/helm/releases", { body: { tenantId: tenant.body.id, name: "web", namespace: "apps", chartName, chartVersion: "1.0.0" } });
    const releaseId = installed.body.release.id as string;

    const inFlight = call("POST", `/api/v1/helm/releases/${releaseId}/upgrade`, { body: { chartVersion: "1.1.0" } });
    await expect.poll(async () => (await call("GET", `/api/v1/helm/releases/${releaseId}`)).body.status, { interval: 50 }).toBe("PENDING_UPGRADE");
    const exited = exitOf(server);
    server.child.kill("SIGTERM");
    await expect.poll(() => jsonLogLines(server.output()).some((l) => l.signal === "SIGTERM"), { interval: 10 }).toBe(true);

    const readyz = await fetch(`${server.url}/api/readyz`);
    expect(readyz.status).toBe(503);
    expect(await readyz.json()).toEqual({ status: "stopping" });
    const refused = await call("POST", "/api/v1/tenants", { body: { slug: `late-${randomBytes(3).toString("hex")}`, name: "Late", environment: "development" } });
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("5");
    expect(refused.body).toMatchObject({ status: 503, title: "Service unavailable" });
    expect((await fetch(`${server.url}/api/livez`)).status).toBe(200);

    const upgraded = await inFlight;
    expect(upgraded.status).toBe(200);
    expect(upgraded.body.revision).toMatchObject({ status: "DEPLOYED", chartVersion: "1.1.0" });
    expect(await exited).toEqual({ code: 0, signal: null });
    const messages = jsonLogLines(server.output()).map((l) => l.msg as string);
    expect(messages.findIndex((m) => m.startsWith("SIGTERM received"))).toBeLessThan(messages.indexOf("stopped"));
  });
});

const RELEASES = 60;

/**
 * On PostgreSQL a clean stop hands a running batch back at once: its lease is released, not
 * left to expire (the lease here is 10 minutes, far longer than the test), so the next start
 * resumes it straight away, and no release is upgraded twice.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)("a clean stop mid-batch [postgres]", () => {
  let database: TestDatabase;
  const servers: ServerProcess[] = [];
  let chart: string;

  beforeAll(async () => {
    database = await openTestDatabase("postgres");
    const { db } = database;
    chart = await givenChart(db, [{ version: "1.0.0" }, { version: "1.1.0" }]);
    const tenants = await Promise.all(Array.from({ length: 4 }, () => givenTenant(db, { environment: "development" })));
    for (let i = 0; i < RELEASES; i += 20) {
      await Promise.all(
        Array.from({ length: 20 }, (_, j) =>
          installRelease({ ctx: contextFor(db), input: { tenantId: tenants[(i + j) % 4]!.id, name: `r${i + j}`, namespace: "default", chartName: chart, chartVersion: "1.0.0" } }),
        ),
      );
    }
  });

  afterAll(async () => {
    for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) await s.stop("SIGKILL");
    await database?.close();
  });

  const serve = async () => {
    const server = await startServer({
      DATABASE_URL: database.url!,
      HELMDECK_DEMO: "0",
      HELMDECK_SIMULATED_LATENCY_MS: "100",
      HELMDECK_BATCH_LEASE_SECONDS: "600",
      HELMDECK_OPERATION_LEASE_SECONDS: "600",
      HELMDECK_LOG_FORMAT: "json",
    });
    servers.push(server);
    return server;
  };

  it("SIGTERM mid-batch releases the batch's lease; a restart finishes it with each release upgraded once", { timeout: 180_000 }, async () => {
    const first = await serve();
    const call = serverApi(first.url, first.token);
    const started = await call("POST", `/api/v1/helm/releases/chart/${chart}/batch-upgrade?targetVersion=1.1.0&async=true`);
    expect(started.status).toBe(202);
    const batchId = started.body.id as string;
    await expect.poll(async () => (await call("GET", `/api/v1/helm/batches/${batchId}`)).body.counts.upgraded, { timeout: 60_000, interval: 100 }).toBeGreaterThanOrEqual(10);

    const exited = exitOf(first);
    first.child.kill("SIGTERM");
    expect(await exited).toEqual({ code: 0, signal: null });

    const { db } = database;
    const [handedBack] = await db.select().from(batches).where(eq(batches.id, batchId));
    expect(handedBack).toMatchObject({ runnerId: null, runnerLeaseExpiresAt: null });
    expect(["RUNNING", "QUEUED"]).toContain(handedBack!.status);
    const [running] = await db.select({ n: count() }).from(batchItems).where(and(eq(batchItems.batchId, batchId), eq(batchItems.status, "RUNNING")));
    expect(Number(running!.n)).toBe(0);
    const [pending] = await db.select({ n: count() }).from(releases).where(isNotNull(releases.pendingRevision));
    expect(Number(pending!.n)).toBe(0);
    const [{ n: upgradedAtStop } = { n: 0 }] = await db.select({ n: count() }).from(batchItems).where(and(eq(batchItems.batchId, batchId), eq(batchItems.status, "UPGRADED")));
    expect(Number(upgradedAtStop)).toBeLessThan(RELEASES);

    const second = await serve();
    const again = serverApi(second.url, second.token);
    await expect.poll(async () => (await again("GET", `/api/v1/helm/batches/${batchId}`)).body.status, { timeout: 90_000, interval: 250 }).toBe("SUCCEEDED");
    expect((await again("GET", `/api/v1/helm/batches/${batchId}`)).body.counts).toEqual({ total: RELEASES, pending: 0, upgraded: RELEASES, failed: 0, skipped: 0, cancelled: 0 });

    const upgrades = await db
      .select({ releaseId: revisions.releaseId, n: count() })
      .from(revisions)
      .where(and(eq(revisions.batchId, batchId), eq(revisions.operation, "upgrade")))
      .groupBy(revisions.releaseId);
    expect(upgrades).toHaveLength(RELEASES);
    expect(upgrades.filter((u) => Number(u.n) !== 1)).toEqual([]);
  });
});
