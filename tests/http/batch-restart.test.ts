import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startServer, type ServerProcess } from "../helpers/server-process";

/** On the embedded database a batch survives a clean stop: the next start resumes it where it was. */
describe("batch durability across a clean restart [pglite]", () => {
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    for (const s of servers) await s.stop("SIGKILL");
  });

  it("a SIGTERM mid-batch answers the synchronous request 503 with the batch's Location and hands the batch back; the next start finishes it, each release upgraded once", { timeout: 150_000 }, async () => {
    const env = { HELMDECK_DATA_DIR: mkdtempSync(path.join(tmpdir(), "helmdeck-restart-")), HELMDECK_DEMO: "1", HELMDECK_SIMULATED_LATENCY_MS: "150", HELMDECK_BOOTSTRAP_TOKEN: "hd_restart_test_token_0123456789" };
    const first = await startServer(env);
    servers.push(first);
    const headers = { Authorization: `Bearer ${first.token}` };
    // A synchronous request: it runs the batch itself until the stop begins.
    const answer = fetch(`${first.url}/api/v1/helm/releases/chart/matih-query-engine/batch-upgrade?targetVersion=1.3.0&ignoreWindows=true`, { method: "POST", headers });
    const newest = async () => ((await (await fetch(`${first.url}/api/v1/helm/batches?limit=1`, { headers })).json()) as Array<{ id: string; counts: { upgraded: number } }>)[0];
    await expect.poll(async () => (await newest())?.counts.upgraded ?? 0, { timeout: 30_000, interval: 100 }).toBeGreaterThanOrEqual(3);
    const { id } = (await newest())!;
    const batch = async (s: ServerProcess) => (await fetch(`${s.url}/api/v1/helm/batches/${id}`, { headers })).json();
    const stopped = first.stop("SIGTERM");
    const interrupted = await answer;
    expect(interrupted.status).toBe(503);
    expect(interrupted.headers.get("content-type")).toContain("application/problem+json");
    expect(interrupted.headers.get("location")).toBe(`/api/v1/helm/batches/${id}`);
    await stopped;
    expect(first.child.exitCode).toBe(0);
    expect(first.output()).toContain("SIGTERM received, stopping");

    const second = await startServer(env);
    servers.push(second);
    await expect.poll(async () => (await batch(second)).status, { timeout: 60_000, interval: 250 }).toBe("PARTIALLY_FAILED");
    const done = await batch(second);
    expect(done.counts).toEqual({ total: 17, pending: 0, upgraded: 15, failed: 2, skipped: 0, cancelled: 0 });
    for (const item of done.items) {
      const revisions: Array<{ revision: number; operation: string; status: string; chartVersion: string }> = await (
        await fetch(`${second.url}/api/v1/helm/releases/${item.releaseId}/revisions`, { headers })
      ).json();
      expect(revisions.map((r) => r.revision)).toEqual(revisions.map((_, i) => revisions.length - i));
      const to130 = revisions.filter((r) => r.operation === "upgrade" && r.chartVersion === "1.3.0" && r.status !== "FAILED");
      expect(to130).toHaveLength(item.status === "UPGRADED" ? 1 : 0);
    }
  });
});
