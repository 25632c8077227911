import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openPglite } from "@/server/db/client";
import { seedFleet } from "../../bench/lib/seed-fleet";
import { startServer, type ServerProcess } from "../helpers/server-process";

/**
 * PGlite answers inside the server's own process: a batch whose every query resolves at once
 * could chain promises without ever returning to the event loop, and then no HTTP request is
 * served until the batch ends. This proves the opposite by order, not by time: a probe that
 * starts and ends while the batch is still RUNNING was served during the batch.
 */
describe("the embedded database under a running batch [pglite]", () => {
  let server: ServerProcess | undefined;
  afterAll(async () => {
    await server?.stop("SIGKILL");
  });

  it("answers probes and reads while a batch of 1,500 zero-latency upgrades runs", { timeout: 240_000 }, async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), "helmdeck-busy-"));
    const seeding = await openPglite(path.join(dataDir, "pglite"));
    await seeding.migrate();
    await seedFleet(seeding.db, { releases: 1_500, tenants: 30, chart: "busy-engine", versions: ["1.0.0", "1.1.0"] });
    await seeding.close();

    server = await startServer({ HELMDECK_DATA_DIR: dataDir, HELMDECK_SIMULATED_LATENCY_MS: "0" });
    const headers = { Authorization: `Bearer ${server.token}` };
    const started = await fetch(`${server.url}/api/v1/helm/releases/chart/busy-engine/batch-upgrade?targetVersion=1.1.0&ignoreWindows=true&async=true`, { method: "POST", headers });
    expect(started.status, await started.clone().text()).toBe(202);
    const { id } = (await started.json()) as { id: string };
    const status = async () => ((await (await fetch(`${server!.url}/api/v1/helm/batches/${id}`, { headers })).json()) as { status: string; counts: { upgraded: number } });

    let servedDuringBatch = 0;
    for (;;) {
      const before = await status();
      if (before.status !== "RUNNING" && before.status !== "QUEUED") break;
      const live = await fetch(`${server.url}/api/livez`);
      const tenants = await fetch(`${server.url}/api/v1/tenants?limit=5`, { headers });
      const after = await status();
      expect([live.status, tenants.status]).toEqual([200, 200]);
      if (after.status === "RUNNING" && after.counts.upgraded < 1_500) servedDuringBatch++;
      if (servedDuringBatch >= 3) break;
    }
    expect(servedDuringBatch).toBeGreaterThanOrEqual(3);
  });
});
