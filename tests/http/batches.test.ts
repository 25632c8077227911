import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { adminToken, api, baseUrl } from "../helpers/http";
import { openSse, readSse } from "../helpers/sse";

const suffix = randomBytes(3).toString("hex");
const chart = `batch-http-${suffix}`;
const defaults = (tag: string) => ({ replicaCount: 1, image: { repository: "example/app", tag }, resources: { requests: { cpu: "500m", memory: "256Mi" } } });
const path = (query = "targetVersion=1.1.0") => `/helm/releases/chart/${chart}/batch-upgrade?${query}`;

let tenantAdminToken: string;
const releaseIds: string[] = [];

/** A chart and three tenants of its own, so that the demo fleet other tests read stays as seeded. */
beforeAll(async () => {
  for (const version of ["1.0.0", "1.1.0"]) {
    expect((await api("POST", "/helm/charts", { body: { name: chart, version, appVersion: version, defaultValues: defaults(version) } })).status).toBe(201);
  }
  for (const [i, environment, quota] of [
    [0, "production", null],
    [1, "development", null],
    [2, "production", { cpu: "1" }],
  ] as const) {
    const tenant = await api("POST", "/tenants", { body: { slug: `bh-${suffix}-${i}`, name: `Batch HTTP ${i}`, environment, quota } });
    expect(tenant.status).toBe(201);
    const installed = await api("POST", "/helm/releases", { body: { tenantId: tenant.body.id, name: "app", namespace: "default", chartName: chart, chartVersion: "1.0.0" } });
    expect(installed.status).toBe(201);
    releaseIds.push(installed.body.release.id);
    if (i === 0) {
      const token = await api("POST", "/tokens", { body: { name: `ta-${suffix}`, role: "tenant-admin", tenantId: tenant.body.id } });
      tenantAdminToken = token.body.token;
    }
  }
});

describe("batch upgrades over HTTP", () => {
  it("refuses without credentials (401), for a tenant admin (403), without or with a bad targetVersion (400), and an unpublished one (422)", async () => {
    expect((await api("POST", path(), { token: null })).status).toBe(401);
    expect((await api("POST", path(), { token: tenantAdminToken })).status).toBe(403);
    expect((await api("POST", path(""))).status).toBe(400);
    const bad = await api("POST", path("targetVersion=v1"));
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    expect((await api("POST", path("targetVersion=9.9.9"))).status).toBe(422);
    expect((await api("POST", path(), { body: { maxFailures: "many" } })).status).toBe(422);
    expect((await api("GET", "/helm/batches/not-a-uuid")).status).toBe(400);
    expect((await api("GET", `/helm/batches/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
  });

  it("dryRun answers the plans and records nothing", async () => {
    const before = await api("GET", "/helm/batches");
    const preview = await api("POST", path("targetVersion=1.1.0&dryRun=true"), { body: { valuesOverride: { replicaCount: 3 } } });
    expect(preview.status).toBe(200);
    expect(preview.headers.get("location")).toBeNull();
    expect(preview.body).toMatchObject({ dryRun: true, targetVersion: "1.1.0", counts: { total: 3, upgrade: 3 }, nextCursor: null });
    expect(preview.body.items[0].plan.checks).toHaveLength(5);
    expect((await api("GET", "/helm/batches")).body.length).toBe(before.body.length);
  });

  it("a canary batch answers when it pauses; the event stream follows it to the end after resume; rollback restores", async () => {
    const started = await api("POST", path("targetVersion=1.1.0&canary=1"), { body: { valuesOverride: { replicaCount: 3 } } });
    expect(started.status).toBe(200);
    const location = started.headers.get("location")!;
    expect(location).toMatch(/^\/api\/v1\/helm\/batches\/[0-9a-f-]{36}$/);
    expect(started.body.map((r: { id: string }) => r.id)).toEqual([releaseIds[1]]);
    const batchPath = location.replace("/api/v1", "");
    const paused = await api("GET", batchPath);
    expect(paused.body).toMatchObject({ status: "PAUSED", chartName: chart, targetVersion: "1.1.0", counts: { total: 3, upgraded: 1, pending: 2 }, itemsNext: null });
    expect(paused.body.items.map((i: { position: number }) => i.position)).toEqual([1, 2, 3]);

    // Items page with Link; a bad limit is 400.
    const firstPage = await api("GET", `${batchPath}/items?limit=2`);
    expect(firstPage.status).toBe(200);
    expect(firstPage.body.map((i: { position: number }) => i.position)).toEqual([1, 2]);
    const next = /<([^>]+)>; rel="next"/.exec(firstPage.headers.get("link") ?? "")![1]!;
    const secondPage = await api("GET", next.replace("/api/v1", ""));
    expect(secondPage.body.map((i: { position: number }) => i.position)).toEqual([3]);
    expect(secondPage.headers.get("link")).toBeNull();
    expect((await api("GET", `${batchPath}/items?status=UPGRADED`)).body.map((i: { releaseId: string }) => i.releaseId)).toEqual([releaseIds[1]]);
    expect((await api("GET", `${batchPath}/items?limit=1001`)).status).toBe(400);
    expect((await api("GET", `${batchPath}/items?status=BOGUS`)).status).toBe(400);
    expect((await api("GET", `${batchPath}/items?cursor=bm90LWEtY3Vyc29y`)).status).toBe(400);

    // A caller may hold a bounded number of open streams; one more is 429 until one closes.
    const held = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const abort = new AbortController();
        const res = await fetch(`${baseUrl()}${location}/events`, { headers: { Authorization: `Bearer ${adminToken()}` }, signal: abort.signal });
        expect(res.status).toBe(200);
        return abort;
      }),
    );
    const refused = await api("GET", `${batchPath}/events`);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    for (const abort of held) abort.abort();
    await expect.poll(async () => {
      const res = await fetch(`${baseUrl()}${location}/events`, { headers: { Authorization: `Bearer ${adminToken()}` }, signal: AbortSignal.timeout(2_000) }).catch(() => null);
      await res?.body?.cancel().catch(() => undefined);
      return res?.status;
    }, { timeout: 10_000 }).toBe(200);
    expect(paused.body.items.map((i: { releaseId: string }) => i.releaseId)).toEqual([releaseIds[1], releaseIds[0], releaseIds[2]]);
    expect((await api("POST", `${batchPath}/resume`, { token: tenantAdminToken })).status).toBe(403);

    const stream = await openSse(`${baseUrl()}${location}/events`, { Authorization: `Bearer ${adminToken()}` });
    expect(stream.status).toBe(200);
    expect(stream.contentType).toContain("text/event-stream");
    const snapshot = await stream.next();
    expect(snapshot).toMatchObject({ event: "snapshot", data: { type: "snapshot", batch: { status: "PAUSED" } } });
    const resumed = await api("POST", `${batchPath}/resume`);
    expect(resumed.status).toBe(200);
    const events = [snapshot!, ...(await stream.rest())];
    expect(events.at(-1)).toMatchObject({ event: "batch", data: { batch: { status: "PARTIALLY_FAILED" } } });
    const outcomes = events.filter((e) => e.event === "item" && e.data.item.status !== "RUNNING").map((e) => e.data.item.status);
    expect(outcomes).toEqual(["UPGRADED", "FAILED"]);
    expect(events.every((e) => Number.isInteger(e.id))).toBe(true);

    // Reconnecting after the second event replays exactly what followed it.
    const replay = await readSse(`${baseUrl()}${location}/events`, { Authorization: `Bearer ${adminToken()}`, "Last-Event-ID": String(events[1]!.id) });
    expect(replay.events.map((e) => e.id)).toEqual(events.slice(2).map((e) => e.id));

    const done = await api("GET", batchPath);
    expect(done.body).toMatchObject({ status: "PARTIALLY_FAILED", counts: { upgraded: 2, failed: 1 } });
    expect(done.body.items[2].error).toMatch(/quota/);
    expect((await api("POST", `${batchPath}/pause`)).status).toBe(409);
    expect((await api("POST", `${batchPath}/cancel`)).status).toBe(409);

    const rollback = await api("POST", `${batchPath}/rollback`);
    expect(rollback.status).toBe(200);
    expect(rollback.body).toMatchObject({ kind: "rollback", status: "SUCCEEDED", counts: { total: 2, upgraded: 2 } });
    expect(rollback.headers.get("location")).toBe(`/api/v1/helm/batches/${rollback.body.id}`);
    for (const id of [releaseIds[0], releaseIds[1]]) expect((await api("GET", `/helm/releases/${id}`)).body).toMatchObject({ chartVersion: "1.0.0", revision: 3 });
    // A second rollback would add a redundant revision to every release: 409 instead.
    const again = await api("POST", `${batchPath}/rollback`);
    expect(again.status).toBe(409);
    for (const id of [releaseIds[0], releaseIds[1]]) expect((await api("GET", `/helm/releases/${id}`)).body).toMatchObject({ latestRevision: 3 });
  });

  it("async answers 202 with the batch at once, which the server's runner completes; lists page newest first", async () => {
    const started = await api("POST", path(), { body: { async: true, tenant: `bh-${suffix}-0`, concurrency: 4 } });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ chartName: chart, counts: { total: 1 }, options: { concurrency: 4 }, itemsNext: null });
    expect(started.body.items).toHaveLength(1);
    expect((await api("POST", path(), { body: { async: true, concurrency: 33 } })).status).toBe(422);
    expect(["QUEUED", "RUNNING", "SUCCEEDED"]).toContain(started.body.status);
    expect(started.headers.get("location")).toBe(`/api/v1/helm/batches/${started.body.id}`);
    await expect.poll(async () => (await api("GET", `/helm/batches/${started.body.id}`)).body.status, { timeout: 15_000 }).toBe("SUCCEEDED");
    const page = await api("GET", "/helm/batches?limit=1");
    expect(page.body.map((b: { id: string }) => b.id)).toEqual([started.body.id]);
    expect(page.headers.get("link")).toMatch(/rel="next"/);
    const events = await readSse(`${baseUrl()}/api/v1/helm/batches/${started.body.id}/events`, { Authorization: `Bearer ${adminToken()}` });
    expect(events.events).toHaveLength(1);
    expect(events.events[0]!.data.batch.status).toBe("SUCCEEDED");
  });

  it("a tenant admin sees only its own tenant's items of a batch", async () => {
    const list = await api("GET", "/helm/batches", { token: tenantAdminToken });
    expect(list.status).toBe(200);
    expect(list.body.length).toBeGreaterThan(0);
    for (const b of list.body) {
      const one = await api("GET", `/helm/batches/${b.id}`, { token: tenantAdminToken });
      expect(one.body.items.every((i: { releaseId: string }) => i.releaseId === releaseIds[0])).toBe(true);
      // Its own numbering: its one release is item 1 wherever it sits in the batch.
      expect(one.body.items.map((i: { position: number }) => i.position)).toEqual([1]);
      expect(one.body.counts.total).toBe(1);
      const items = await api("GET", `/helm/batches/${b.id}/items`, { token: tenantAdminToken });
      expect(items.body.map((i: { releaseId: string }) => i.releaseId)).toEqual([releaseIds[0]]);
      const events = await readSse(`${baseUrl()}/api/v1/helm/batches/${b.id}/events?lastEventId=0`, { Authorization: `Bearer ${tenantAdminToken}` });
      expect(events.events.map((e) => e.id)).toEqual(events.events.map((_, i) => i + 1));
      expect(events.events.every((e) => e.event !== "item" || e.data.item.position === 1)).toBe(true);
    }
  });
});
