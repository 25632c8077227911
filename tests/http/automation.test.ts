/**
 * Chart repositories and upgrade policies over REST, against the real server: the answers
 * of every route (201/200/204/400/403/404/409/422 problem+json), a sync of a Helm
 * repository served from this process, and a policy whose batch the server runs itself.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "../helpers/http";
import { tokenFor, trpc } from "../helpers/identity-http";
import { chartArchive, HelmRepositoryServer } from "../helpers/helm-repository-server";

const suffix = randomBytes(3).toString("hex");
const problem = (res: { headers: Headers; body: any }, status: number) => {
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  expect(res.body.status).toBe(status);
};

let repo: HelmRepositoryServer;
beforeAll(async () => {
  repo = await new HelmRepositoryServer().start();
});
afterAll(() => repo.stop());

describe("chart repositories over REST", () => {
  it("create, read, change, sync, delete, with the refusals of each", async () => {
    const chart = `repo-chart-${suffix}`;
    repo.publishIndex("/charts", [
      { name: chart, version: "1.0.0", archive: chartArchive(chart, "1.0.0") },
      { name: chart, version: "1.1.0", archive: chartArchive(chart, "1.1.0"), digest: "f".repeat(64) },
    ]);
    const created = await api("POST", "/helm/repositories", { body: { name: `repo-${suffix}`, url: `${repo.url}/charts`, enabled: false } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: `repo-${suffix}`, intervalSeconds: 600, enabled: false, lastSyncAt: null, lastError: null });
    expect(created.headers.get("location")).toBe(`/api/v1/helm/repositories/${created.body.id}`);
    const id = created.body.id as string;

    expect((await api("GET", `/helm/repositories/${id}`)).body).toEqual(created.body);
    expect(((await api("GET", "/helm/repositories")).body as { id: string }[]).map((r) => r.id)).toContain(id);
    problem(await api("POST", "/helm/repositories", { body: { name: `repo-${suffix}`, url: `${repo.url}/other` } }), 409);
    problem(await api("POST", "/helm/repositories", { body: { name: `bad-${suffix}`, url: "ftp://example.test/charts" } }), 422);
    problem(await api("POST", "/helm/repositories", { body: { name: `bad-${suffix}`, url: `${repo.url}/charts`, intervalSeconds: 59 } }), 422);
    problem(await api("POST", "/helm/repositories", { rawBody: "{not json", headers: { "Content-Type": "application/json" } }), 400);
    problem(await api("GET", "/helm/repositories/not-a-uuid"), 400);
    problem(await api("GET", `/helm/repositories/${crypto.randomUUID()}`), 404);
    problem(await api("POST", `/helm/repositories/${crypto.randomUUID()}/sync`), 404);

    const changed = await api("PATCH", `/helm/repositories/${id}`, { body: { intervalSeconds: 3600 } });
    expect(changed.status).toBe(200);
    expect(changed.body.intervalSeconds).toBe(3600);
    problem(await api("PATCH", `/helm/repositories/${id}`, { body: {} }), 422);

    const synced = await api("POST", `/helm/repositories/${id}/sync`);
    expect(synced.status).toBe(200);
    expect(synced.body).toEqual({ imported: [{ name: chart, version: "1.0.0" }], unchanged: 0, errors: [{ name: chart, version: "1.1.0", message: expect.stringContaining("sha256") }] });
    const after = await api("GET", `/helm/repositories/${id}`);
    expect(after.body.lastSyncAt).not.toBeNull();
    expect(after.body.lastError).toContain("1.1.0");
    expect((await api("GET", `/helm/charts/${chart}/versions/1.0.0`)).status).toBe(200);

    const viewer = (await tokenFor("viewer", null)).token;
    problem(await api("GET", "/helm/repositories", { token: viewer }), 403);
    problem(await api("POST", `/helm/repositories/${id}/sync`, { token: viewer }), 403);

    expect((await api("DELETE", `/helm/repositories/${id}`)).status).toBe(204);
    problem(await api("GET", `/helm/repositories/${id}`), 404);
    // The versions it imported stay published.
    expect((await api("GET", `/helm/charts/${chart}/versions/1.0.0`)).status).toBe(200);
  });
});

describe("upgrade policies over REST", () => {
  it("a tenant policy upgrades its release when a version in range is published, and the server runs the batch", async () => {
    const chart = `policy-chart-${suffix}`;
    const publish = (version: string) => api("POST", "/helm/charts", { body: { name: chart, version, appVersion: version, defaultValues: { replicaCount: 1 } } });
    expect((await publish("1.0.0")).status).toBe(201);
    const tenant = await api("POST", "/tenants", { body: { slug: `policy-${suffix}`, name: "Policy", environment: "development" } });
    const release = await api("POST", "/helm/releases", { body: { tenantId: tenant.body.id, name: "follows", namespace: "policy", chartName: chart, chartVersion: "1.0.0" } });
    expect(release.status).toBe(201);
    const tenantAdmin = (await tokenFor("tenant-admin", tenant.body.id)).token;

    problem(await api("POST", "/helm/policies", { token: tenantAdmin, body: { chartName: chart, range: "^1" } }), 403);
    problem(await api("POST", "/helm/policies", { token: tenantAdmin, body: { chartName: chart, tenant: tenant.body.slug, range: "not a range" } }), 422);
    const created = await api("POST", "/helm/policies", { token: tenantAdmin, body: { chartName: chart, tenant: tenant.body.slug, range: "~1.0" } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ chartName: chart, tenant: tenant.body.slug, range: "~1.0", mode: "auto", includePrerelease: false, concurrency: 1, enabled: true, lastBatchId: null });
    expect(created.headers.get("location")).toBe(`/api/v1/helm/policies/${created.body.id}`);
    const id = created.body.id as string;
    problem(await api("POST", "/helm/policies", { body: { chartName: chart, tenant: tenant.body.slug, range: "^1" } }), 409);
    problem(await api("GET", `/helm/policies/${crypto.randomUUID()}`), 404);
    problem(await api("GET", "/helm/policies/nope/preview"), 400);

    expect((await publish("1.1.0")).status).toBe(201); // outside ~1.0
    expect((await api("GET", `/helm/policies/${id}/preview`)).body).toEqual({ targetVersion: "1.0.0", counts: { total: 0, inWindow: 0, outsideWindow: 0 }, releases: [] });
    expect((await publish("1.0.1")).status).toBe(201);

    const policy = await api("GET", `/helm/policies/${id}`, { token: tenantAdmin });
    expect(policy.body.lastBatchId).toEqual(expect.any(String));
    for (;;) {
      const batch = await api("GET", `/helm/batches/${policy.body.lastBatchId}`);
      expect(batch.body.createdBy).toBe(`policy:${id}`);
      if (batch.body.status === "SUCCEEDED") break;
      expect(["QUEUED", "RUNNING"]).toContain(batch.body.status);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect((await api("GET", `/helm/releases/${release.body.release.id}`)).body.chartVersion).toBe("1.0.1");

    const changed = await api("PATCH", `/helm/policies/${id}`, { token: tenantAdmin, body: { mode: "notify", range: "^1" } });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ mode: "notify", range: "^1" });
    const preview = await api("GET", `/helm/policies/${id}/preview`, { token: tenantAdmin });
    expect(preview.body).toMatchObject({ targetVersion: "1.1.0", counts: { total: 1, inWindow: 1, outsideWindow: 0 } });
    expect(preview.body.releases.map((r: { id: string }) => r.id)).toEqual([release.body.release.id]);
    problem(await api("PATCH", `/helm/policies/${id}`, { token: tenantAdmin, body: { concurrency: 99 } }), 422);

    const viewer = (await tokenFor("viewer", tenant.body.id)).token;
    expect((await api("GET", "/helm/policies", { token: viewer })).body.map((p: { id: string }) => p.id)).toEqual([id]);
    problem(await api("DELETE", `/helm/policies/${id}`, { token: viewer }), 403);
    expect((await api("DELETE", `/helm/policies/${id}`, { token: tenantAdmin })).status).toBe(204);
    problem(await api("GET", `/helm/policies/${id}`), 404);
  });
});

describe("the same operations over tRPC", () => {
  it("a platform admin adds and syncs a repository and creates a policy; the zod schemas are the REST ones", async () => {
    const chart = `trpc-chart-${suffix}`;
    repo.publishIndex("/trpc", [{ name: chart, version: "1.0.0", archive: chartArchive(chart, "1.0.0") }]);
    const created = await trpc("mutation", "repositories.create", { name: `trpc-${suffix}`, url: `${repo.url}/trpc`, enabled: false });
    expect(created.status).toBe(200);
    const synced = await trpc("mutation", "repositories.sync", { id: created.data.id });
    expect(synced.data).toEqual({ imported: [{ name: chart, version: "1.0.0" }], unchanged: 0, errors: [] });
    expect((await trpc("query", "repositories.get", { id: created.data.id })).data.lastResult.imported).toHaveLength(1);
    const refused = await trpc("mutation", "repositories.create", { name: `trpc-bad-${suffix}`, url: "ftp://example.test", enabled: false });
    expect(refused.status).toBe(400);

    const policy = await trpc("mutation", "policies.create", { chartName: chart, range: "^1", mode: "notify" });
    expect(policy.status).toBe(200);
    expect(policy.data).toMatchObject({ chartName: chart, tenant: null, mode: "notify" });
    expect((await trpc("query", "policies.preview", { id: policy.data.id })).data).toEqual({ targetVersion: "1.0.0", counts: { total: 0, inWindow: 0, outsideWindow: 0 }, releases: [] });
    expect((await trpc("mutation", "policies.delete", { id: policy.data.id })).status).toBe(200);
    expect((await trpc("mutation", "repositories.delete", { id: created.data.id })).status).toBe(200);
  });
});
