import { and, count, eq, inArray } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { revisions } from "@/server/db/schema";
import { openTestDatabase, type TestDatabase } from "../helpers/databases";
import { contextFor, givenChart, givenTenant } from "../helpers/fixtures";
import { installRelease } from "@/server/domain/releases/install-release";
import { startServer, type ServerProcess } from "../helpers/server-process";
import { readSse } from "../helpers/sse";

const RELEASES = 200;

/**
 * Durability on PostgreSQL: a batch survives kill -9 of the instance running it and
 * completes on the others, each release upgraded once, while a second instance streams it;
 * sequentially and with 16 items in flight when the instance dies.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)("batch durability across app instances [postgres]", () => {
  let database: TestDatabase;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    database = await openTestDatabase("postgres");
  });

  afterAll(async () => {
    // A killed child has a signalCode, not an exitCode: stopping it again would wait for an exit already past.
    for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) await s.stop("SIGKILL");
    await database?.close();
  });

  const serve = async () => {
    const server = await startServer({
      DATABASE_URL: database.url!,
      HELMDECK_DEMO: "0",
      HELMDECK_SIMULATED_LATENCY_MS: "20",
      HELMDECK_BATCH_LEASE_SECONDS: "3",
      HELMDECK_OPERATION_LEASE_SECONDS: "3",
    });
    servers.push(server);
    return server;
  };
  const auth = (s: ServerProcess) => ({ Authorization: `Bearer ${s.token}` });
  const getBatch = async (s: ServerProcess, id: string) => (await fetch(`${s.url}/api/v1/helm/batches/${id}`, { headers: auth(s) })).json();

  for (const concurrency of [1, 16]) {
    it(`with concurrency ${concurrency}: completes after kill -9 of its instance, streams from the other one, and upgrades every release exactly once`, { timeout: 150_000 }, async () => {
      const { db } = database;
      const chart = await givenChart(db, [{ version: "1.0.0" }, { version: "1.1.0" }]);
      const tenants = await Promise.all(Array.from({ length: 10 }, () => givenTenant(db)));
      for (let i = 0; i < RELEASES; i += 25) {
        await Promise.all(
          Array.from({ length: 25 }, (_, j) =>
            installRelease({ ctx: contextFor(db), input: { tenantId: tenants[(i + j) % 10]!.id, name: `r${i + j}`, namespace: "default", chartName: chart, chartVersion: "1.0.0" } }),
          ),
        );
      }
      const [first, second] = await Promise.all([serve(), serve()]);
      const res = await fetch(`${first!.url}/api/v1/helm/releases/chart/${chart}/batch-upgrade?targetVersion=1.1.0&async=true&concurrency=${concurrency}`, { method: "POST", headers: auth(first!) });
      expect(res.status).toBe(202);
      const batch = await res.json();
      const stream = readSse(`${second!.url}/api/v1/helm/batches/${batch.id}/events`, auth(second!), 120_000);

      await expect.poll(async () => (await getBatch(first!, batch.id)).counts.upgraded, { timeout: 30_000, interval: 100 }).toBeGreaterThanOrEqual(30);
      first!.child.kill("SIGKILL");
      const restarted = await serve();

      const { events } = await stream;
      expect(events.at(-1)!.data).toMatchObject({ type: "batch", batch: { status: "SUCCEEDED" }, counts: { upgraded: RELEASES, pending: 0 } });
      // Events are numbered without gaps from the snapshot on, across the runner that died and the one that took over.
      const ids = events.map((e) => e.id!);
      expect(ids).toEqual(ids.map((_, i) => ids[0]! + i));

      const done = await getBatch(restarted, batch.id);
      expect(done).toMatchObject({ status: "SUCCEEDED", counts: { total: RELEASES, upgraded: RELEASES, failed: 0, pending: 0 } });
      const upgrades = await db
        .select({ releaseId: revisions.releaseId, n: count() })
        .from(revisions)
        .where(and(eq(revisions.batchId, batch.id), inArray(revisions.status, ["DEPLOYED", "SUPERSEDED"])))
        .groupBy(revisions.releaseId);
      expect(upgrades).toHaveLength(RELEASES);
      expect(upgrades.every((u) => Number(u.n) === 1)).toBe(true);
      const all = await db.select({ releaseId: revisions.releaseId, revision: revisions.revision }).from(revisions);
      const byRelease = new Map<string, number[]>();
      for (const r of all) byRelease.set(r.releaseId, [...(byRelease.get(r.releaseId) ?? []), r.revision]);
      for (const numbers of byRelease.values()) expect(numbers.sort((a, b) => a - b)).toEqual(numbers.map((_, i) => i + 1));
      for (const s of servers.splice(0)) if (s.child.exitCode === null && s.child.signalCode === null) await s.stop("SIGKILL");
    });
  }
});
