import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { api, baseUrl } from "../helpers/http";
import { chartYaml, tarGz } from "../helpers/tar-builder";

const PROBLEM = "application/problem+json";
const suffix = randomBytes(3).toString("hex");

function expectProblem(res: { status: number; headers: Headers; body: any }, status: number) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers.get("content-type")).toContain(PROBLEM);
  expect(res.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) });
}

const chartName = `contract-app-${suffix}`;
const schema = {
  type: "object",
  properties: { replicaCount: { type: "integer", minimum: 0 }, resources: { type: "object" } },
};
let tenant: { id: string; slug: string };
let tightTenant: { id: string; slug: string };

beforeAll(async () => {
  for (const [version, changes] of [
    ["1.0.0", []],
    ["1.1.0", [{ kind: "security", description: "patched CVE" }]],
    ["1.10.0", []],
    ["2.0.0", [{ kind: "removed", description: "legacy flag" }]],
  ] as const) {
    const res = await api("POST", "/helm/charts", {
      body: {
        name: chartName,
        version,
        appVersion: `app-${version}`,
        defaultValues: { replicaCount: 1, image: { tag: version }, resources: { requests: { cpu: "500m", memory: "256Mi" } } },
        valuesSchema: schema,
        changes,
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  tenant = (await api("POST", "/tenants", { body: { slug: `contract-${suffix}`, name: "Contract", environment: "staging" } })).body;
  tightTenant = (await api("POST", "/tenants", { body: { slug: `tight-${suffix}`, name: "Tight", environment: "production", quota: { cpu: "1" } } })).body;
});

async function install(name: string, tenantId = tenant.id, extra: Record<string, unknown> = {}) {
  const res = await api("POST", "/helm/releases", { body: { tenantId, name, namespace: "apps", chartName, chartVersion: "1.0.0", ...extra } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { release: any; revision: any };
}

describe("authentication", () => {
  it("401 problem without credentials or with a wrong token", async () => {
    const none = await api("GET", "/helm/releases", { token: null });
    expectProblem(none, 401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expectProblem(await api("GET", "/helm/releases", { token: "hd_wrong_token_0123456789" }), 401);
  });
});

describe("tenants", () => {
  it("creates (201), refuses a duplicate slug (409) and an invalid one (422), lists", async () => {
    const slug = `t-${suffix}`;
    const created = await api("POST", "/tenants", { body: { slug, name: "T", environment: "development", maintenanceWindow: { days: ["sat"], start: "01:00", end: "03:00" }, quota: { cpu: "4", memory: "8Gi" } } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.any(String), slug, environment: "development", quota: { cpu: "4", memory: "8Gi" } });
    expectProblem(await api("POST", "/tenants", { body: { slug, name: "T", environment: "development" } }), 409);
    const bad = await api("POST", "/tenants", { body: { slug: "Not_Valid", name: "T", environment: "moon" } });
    expectProblem(bad, 422);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["environment", "slug"]);
    const list = await api("GET", "/tenants");
    expect(list.body.some((t: { slug: string }) => t.slug === slug)).toBe(true);
  });
});

describe("charts", () => {
  it("lists versions semver descending with security flags", async () => {
    const res = await api("GET", `/helm/charts/${chartName}/versions`);
    expect(res.status).toBe(200);
    expect(res.body.map((v: { version: string }) => v.version)).toEqual(["2.0.0", "1.10.0", "1.1.0", "1.0.0"]);
    expect(res.body.find((v: { version: string }) => v.version === "1.1.0")).toMatchObject({ containsSecurityUpdates: true, appVersion: "app-1.1.0", deprecated: false });
  });

  it("is immutable: identical re-publish is accepted, different content is 409, invalid semver 422", async () => {
    const body = { name: `immutable-${suffix}`, version: "1.0.0", appVersion: "1", defaultValues: { a: 1 } };
    expect((await api("POST", "/helm/charts", { body })).status).toBe(201);
    expect((await api("POST", "/helm/charts", { body })).status).toBe(200);
    expectProblem(await api("POST", "/helm/charts", { body: { ...body, defaultValues: { a: 2 } } }), 409);
    const bad = await api("POST", "/helm/charts", { body: { ...body, version: "v1.0" } });
    expectProblem(bad, 422);
    expect(bad.body.errors[0].path).toBe("version");
  });
});

describe("chart import", () => {
  it("imports a packaged chart sent as application/gzip (201), and refuses a hostile one whole (4xx, nothing written)", async () => {
    const name = `packaged-${suffix}`;
    const archive = tarGz([
      { path: `${name}/Chart.yaml`, body: chartYaml(name, "0.3.0", "annotations:\n  artifacthub.io/changes: |\n    - kind: fixed\n      description: A fix\n") },
      { path: `${name}/values.yaml`, body: "replicaCount: 4\n" },
    ]);
    const res = await api("POST", "/helm/charts", { rawBody: new Uint8Array(archive), headers: { "Content-Type": "application/gzip" } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ name, version: "0.3.0", appVersion: "9.9", defaultValues: { replicaCount: 4 }, changes: [{ kind: "fixed", description: "A fix" }] });

    const hostile = tarGz([
      { path: `${name}/Chart.yaml`, body: chartYaml(name, "0.4.0") },
      { path: `${name}/../../escape`, body: "x" },
    ]);
    expectProblem(await api("POST", "/helm/charts", { rawBody: new Uint8Array(hostile), headers: { "Content-Type": "application/gzip" } }), 422);
    expectProblem(await api("POST", "/helm/charts", { rawBody: new TextEncoder().encode("not gzip at all"), headers: { "Content-Type": "application/gzip" } }), 400);
    const versions = (await api("GET", `/helm/charts/${name}/versions`)).body;
    expect(versions.map((v: { version: string }) => v.version)).toEqual(["0.3.0"]);
  });
});

describe("install, read, upgrade, rollback", () => {
  it("installs (201) and reads the release, its revisions and one revision", async () => {
    const { release, revision } = await install(`web-${suffix}`, tenant.id, { valuesOverride: { replicaCount: 2 } });
    expect(release).toMatchObject({ tenantId: tenant.id, tenantSlug: tenant.slug, chartName, chartVersion: "1.0.0", appVersion: "app-1.0.0", revision: 1, latestRevision: 1, status: "DEPLOYED" });
    expect(Object.keys(release).sort()).toEqual(["appVersion", "chartName", "chartVersion", "id", "latestRevision", "name", "namespace", "revision", "status", "tenantId", "tenantSlug", "updatedAt"]);
    expect(Object.keys(revision).sort()).toEqual(
      ["actor", "appVersion", "chartVersion", "description", "error", "finishedAt", "operation", "revision", "startedAt", "status", "userValues", "values", "valuesOverride"].sort(),
    );
    expect(revision.startedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect((await api("GET", `/helm/releases/${release.id}`)).body).toEqual(release);
    const revisions = await api("GET", `/helm/releases/${release.id}/revisions`);
    expect(revisions.body.map((r: { revision: number }) => r.revision)).toEqual([1]);
    expect((await api("GET", `/helm/releases/${release.id}/revisions/1`)).body).toMatchObject({ revision: 1, values: { replicaCount: 2 } });
    expectProblem(await api("GET", `/helm/releases/${release.id}/revisions/7`), 404);
    expectProblem(await api("POST", "/helm/releases", { body: { tenantId: tenant.id, name: `web-${suffix}`, namespace: "apps", chartName, chartVersion: "1.0.0" } }), 409);
  });

  it("400 for malformed ids, 404 for unknown ones", async () => {
    expectProblem(await api("GET", "/helm/releases/not-a-uuid"), 400);
    expectProblem(await api("GET", "/helm/releases/00000000-0000-4000-8000-000000000000"), 404);
    expectProblem(await api("POST", "/helm/releases/00000000-0000-4000-8000-000000000000/upgrade", { body: { chartVersion: "1.1.0" } }), 404);
    expectProblem(await api("GET", "/helm/releases/00000000-0000-4000-8000-000000000000/revisions/abc"), 400);
    expectProblem(await api("GET", "/no/such/endpoint"), 404);
  });

  it("upgrades with the seed's body shape: 200 {release, revision}, previous SUPERSEDED", async () => {
    const { release } = await install(`api-${suffix}`);
    const res = await api("POST", `/helm/releases/${release.id}/upgrade`, {
      body: { chartVersion: "1.1.0", valuesOverride: { replicaCount: 3, image: { tag: "custom" } }, description: "Upgrade to 1.1.0" },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.release).toMatchObject({ chartVersion: "1.1.0", appVersion: "app-1.1.0", revision: 2, latestRevision: 2, status: "DEPLOYED" });
    expect(res.body.revision).toMatchObject({ revision: 2, status: "DEPLOYED", operation: "upgrade", description: "Upgrade to 1.1.0", valuesOverride: { replicaCount: 3, image: { tag: "custom" } } });
    expect(res.body.revision.values).toMatchObject({ replicaCount: 3, image: { tag: "custom" } });
    const history = (await api("GET", `/helm/releases/${release.id}/revisions`)).body;
    expect(history.map((r: { revision: number; status: string }) => `${r.revision}:${r.status}`)).toEqual(["2:DEPLOYED", "1:SUPERSEDED"]);

    const rolled = await api("POST", `/helm/releases/${release.id}/rollback`, { body: {} });
    expect(rolled.status).toBe(200);
    expect(rolled.body.revision).toMatchObject({ revision: 3, operation: "rollback", chartVersion: "1.0.0", description: "Rollback to 1", status: "DEPLOYED" });
    expect(rolled.body.release).toMatchObject({ chartVersion: "1.0.0", revision: 3 });
  });

  it("422 for invalid semver, unknown version, schema-invalid values, forbidden keys, deep nesting and unacknowledged breaking changes; nothing recorded", async () => {
    const { release } = await install(`strict-${suffix}`);
    const cases: Array<[unknown, string]> = [
      [{ chartVersion: "1.1" }, "chartVersion"],
      [{ chartVersion: "9.9.9" }, "chartVersion"],
      [{ chartVersion: "1.1.0", valuesOverride: { replicaCount: "three" } }, "valuesOverride.replicaCount"],
      [JSON.parse('{"chartVersion":"1.1.0","valuesOverride":{"a":{"__proto__":{"polluted":true}}}}'), "valuesOverride.a.__proto__"],
      [{ chartVersion: "1.1.0", valuesOverride: { constructor: { prototype: 1 } } }, "valuesOverride.constructor"],
      [{ chartVersion: "1.1.0", valuesOverride: [] }, "valuesOverride"],
      [{ chartVersion: "2.0.0" }, "acknowledgeBreakingChanges"],
    ];
    for (const [body, path] of cases) {
      const res = await api("POST", `/helm/releases/${release.id}/upgrade`, { body });
      expectProblem(res, 422);
      expect(res.body.errors.map((e: { path: string }) => e.path), JSON.stringify(body)).toContain(path);
    }
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 40; i++) deep = { n: deep };
    expectProblem(await api("POST", `/helm/releases/${release.id}/upgrade`, { body: { chartVersion: "1.1.0", valuesOverride: deep } }), 422);
    const after = await api("GET", `/helm/releases/${release.id}`);
    expect(after.body).toMatchObject({ latestRevision: 1, revision: 1, status: "DEPLOYED" });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("400 for malformed JSON, 413 for a body over 1 MiB, 415 for a non-JSON body", async () => {
    const { release } = await install(`bodies-${suffix}`);
    expectProblem(await api("POST", `/helm/releases/${release.id}/upgrade`, { rawBody: '{"chartVersion": ', headers: { "Content-Type": "application/json" } }), 400);
    const huge = JSON.stringify({ chartVersion: "1.1.0", valuesOverride: { blob: "x".repeat(1024 * 1024 + 10) } });
    expectProblem(await api("POST", `/helm/releases/${release.id}/upgrade`, { rawBody: huge, headers: { "Content-Type": "application/json" } }), 413);
    expectProblem(await api("POST", `/helm/releases/${release.id}/upgrade`, { rawBody: "chartVersion=1.1.0", headers: { "Content-Type": "application/x-www-form-urlencoded" } }), 415);
    expect((await api("GET", `/helm/releases/${release.id}`)).body.latestRevision).toBe(1);
  });

  it("a quota-violating upgrade is recorded FAILED (200) and the previous revision still runs", async () => {
    const { release } = await install(`quota-${suffix}`, tightTenant.id);
    const res = await api("POST", `/helm/releases/${release.id}/upgrade`, { body: { chartVersion: "1.1.0", valuesOverride: { replicaCount: 5 } } });
    expect(res.status).toBe(200);
    expect(res.body.revision).toMatchObject({ status: "FAILED", revision: 2 });
    expect(res.body.revision.error).toMatch(/cpu.*2500m.*1/);
    expect(res.body.release).toMatchObject({ status: "FAILED", chartVersion: "1.0.0", revision: 1, latestRevision: 2 });
  });

  it("409 problem naming the operation in progress for a concurrent upgrade", async () => {
    const { release } = await install(`busy-${suffix}`);
    const [a, b] = await Promise.all([
      api("POST", `/helm/releases/${release.id}/upgrade`, { body: { chartVersion: "1.1.0" } }),
      new Promise((r) => setTimeout(r, 40)).then(() => api("POST", `/helm/releases/${release.id}/upgrade`, { body: { chartVersion: "1.1.0" } })),
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 409]);
    const conflict = a.status === 409 ? a : b;
    expectProblem(conflict, 409);
    expect(conflict.body.detail).toMatch(/another operation \(upgrade, revision 2\) is in progress/);
    expect(conflict.body).toMatchObject({ operation: "upgrade", since: expect.any(String) });
  });
});

describe("upgrade plan", () => {
  it("returns values, diff and all five checks without changing anything", async () => {
    const { release } = await install(`plan-${suffix}`, tightTenant.id);
    const res = await api("GET", `/helm/releases/${release.id}/upgrade-plan?targetVersion=2.0.0`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ releaseId: release.id, currentVersion: "1.0.0", targetVersion: "2.0.0", upgradeType: "major" });
    expect(res.body.checks.map((c: { id: string }) => c.id)).toEqual(["breaking-changes", "values-compatible", "resources", "tested-in-development", "upgrade-window"]);
    expect(res.body.checks[0].status).toBe("warn");
    expect(res.body.diff).toContainEqual({ path: "image.tag", op: "changed", from: "1.0.0", to: "2.0.0" });
    const posted = await api("POST", `/helm/releases/${release.id}/upgrade-plan`, { body: { chartVersion: "1.10.0", valuesOverride: { replicaCount: 9 } } });
    expect(posted.body.checks.find((c: { id: string }) => c.id === "resources").status).toBe("warn");
    expect(posted.body.checks.find((c: { id: string }) => c.id === "tested-in-development").status).toBe("warn");
    expectProblem(await api("GET", `/helm/releases/${release.id}/upgrade-plan`), 400);
    expectProblem(await api("GET", `/helm/releases/${release.id}/upgrade-plan?targetVersion=latest`), 400);
    expect((await api("GET", `/helm/releases/${release.id}`)).body.latestRevision).toBe(1);
  });
});

describe("lists and fleet views", () => {
  it("pages releases with limit, cursor and a Link header, newest first, without repeats", async () => {
    for (let i = 0; i < 3; i++) await install(`page-${i}-${suffix}`);
    const first = await api("GET", `/helm/releases?tenant=${tenant.slug}&limit=2`);
    expect(first.status).toBe(200);
    expect(first.body).toHaveLength(2);
    const link = first.headers.get("link")!;
    expect(link).toMatch(/^<\/api\/v1\/helm\/releases\?.*cursor=.*>; rel="next"$/);
    const next = await fetch(`${baseUrl()}${link.slice(1, link.indexOf(">"))}`, { headers: { Authorization: `Bearer ${(await import("../helpers/http")).adminToken()}` } });
    const second = await next.json();
    const all = (await api("GET", `/helm/releases?tenant=${tenant.slug}`)).body;
    expect([...first.body, ...second].map((r: { id: string }) => r.id)).toEqual(all.slice(0, 2 + second.length).map((r: { id: string }) => r.id));
    expectProblem(await api("GET", "/helm/releases?limit=abc"), 400);
    expectProblem(await api("GET", "/helm/releases?cursor=garbage"), 400);
    // Well-formed base64 JSON with the wrong contents: refused before it reaches SQL.
    const forged = (key: unknown) => Buffer.from(JSON.stringify(key)).toString("base64url");
    expectProblem(await api("GET", `/helm/releases?cursor=${forged(["yesterday", "not-a-uuid"])}`), 400);
    expectProblem(await api("GET", `/audit?cursor=${forged(["abc"])}`), 400);
    expectProblem(await api("GET", `/helm/releases/chart/${chartName}/needs-upgrade?targetVersion=2.0.0&cursor=${forged([1, 2, 3])}`), 400);
    expectProblem(await api("GET", "/helm/releases?status=RUNNING"), 400);
  });

  it("answers 100 releases a page by default", async () => {
    const res = await api("GET", "/helm/releases");
    expect(res.body.length).toBeLessThanOrEqual(100);
  });

  it("the versions map agrees with the releases themselves, most first, ties by semver descending", async () => {
    const map = (await api("GET", "/helm/releases/chart/matih-query-engine/versions")).body as Record<string, number>;
    const releases = (await api("GET", "/helm/releases?chart=matih-query-engine&limit=1000")).body as Array<{ chartVersion: string | null; status: string }>;
    const expected: Record<string, number> = {};
    for (const r of releases) if (r.chartVersion && r.status !== "UNINSTALLED") expected[r.chartVersion] = (expected[r.chartVersion] ?? 0) + 1;
    expect(map).toEqual(expected);
    const counts = Object.values(map);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    expect((await api("GET", "/helm/releases/chart/nothing-here/versions")).body).toEqual({});
  });

  it("needs-upgrade compares by semver precedence (1.10.0 > 1.9.0), pages, and 400s without a valid target", async () => {
    const res = await api("GET", `/helm/releases/chart/${chartName}/needs-upgrade?targetVersion=1.10.0&tenant=${tenant.slug}`);
    expect(res.status).toBe(200);
    expect(res.body.length).toBeGreaterThan(0);
    for (const r of res.body) expect(["1.0.0", "1.1.0"]).toContain(r.chartVersion);
    expect(new Set(res.body.map((r: { upgradeType: string }) => r.upgradeType))).toEqual(new Set(["minor"]));
    const paged = await api("GET", `/helm/releases/chart/${chartName}/needs-upgrade?targetVersion=1.10.0&tenant=${tenant.slug}&limit=1`);
    expect(paged.body).toHaveLength(1);
    expect(paged.headers.get("link")).toContain('rel="next"');
    const rc = await api("GET", `/helm/releases/chart/${chartName}/needs-upgrade?targetVersion=1.0.0-rc.1`);
    expect(rc.body).toEqual([]);
    expectProblem(await api("GET", `/helm/releases/chart/${chartName}/needs-upgrade`), 400);
    expectProblem(await api("GET", `/helm/releases/chart/${chartName}/needs-upgrade?targetVersion=1.x`), 400);
  });
});

describe("idempotency", () => {
  it("a retried POST with the same key returns the first answer and changes nothing; another body is 422", async () => {
    const key = `idem-${suffix}`;
    const body = { tenantId: tenant.id, name: `idem-${suffix}`, namespace: "apps", chartName, chartVersion: "1.0.0" };
    const first = await api("POST", "/helm/releases", { body, headers: { "Idempotency-Key": key } });
    const again = await api("POST", "/helm/releases", { body, headers: { "Idempotency-Key": key } });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expectProblem(await api("POST", "/helm/releases", { body: { ...body, name: "other" }, headers: { "Idempotency-Key": key } }), 422);
    const list = (await api("GET", `/helm/releases?tenant=${tenant.slug}&limit=1000`)).body as Array<{ name: string }>;
    expect(list.filter((r) => r.name === `idem-${suffix}`)).toHaveLength(1);
    expect(list.some((r) => r.name === "other")).toBe(false);
  });
});

describe("audit and tokens", () => {
  it("records who did what, newest first", async () => {
    const res = await api("GET", "/audit?limit=5");
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(5);
    const ids = res.body.map((e: { id: number }) => e.id);
    expect(ids).toEqual([...ids].sort((a: number, b: number) => b - a));
    expect(res.body[0]).toMatchObject({ actor: expect.any(String), action: expect.any(String), createdAt: expect.any(String) });
  });

  it("creates a token shown once, which then works, and revokes it (401 at once)", async () => {
    const created = await api("POST", "/tokens", { body: { name: `ci-${suffix}`, role: "viewer", tenantId: tenant.id } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.any(String), token: expect.any(String), role: "viewer", tenantId: tenant.id, name: `ci-${suffix}` });
    const listed = (await api("GET", "/tokens")).body.find((t: { id: string }) => t.id === created.body.id);
    expect(listed.token).toBeUndefined();
    const asViewer = await api("GET", "/helm/releases", { token: created.body.token });
    expect(asViewer.status).toBe(200);
    expect(asViewer.body.every((r: { tenantId: string }) => r.tenantId === tenant.id)).toBe(true);
    expectProblem(await api("POST", "/tenants", { token: created.body.token, body: { slug: `nope-${suffix}`, name: "x", environment: "staging" } }), 403);
    expect((await api("DELETE", `/tokens/${created.body.id}`)).status).toBe(204);
    expectProblem(await api("GET", "/helm/releases", { token: created.body.token }), 401);
  });
});

describe("OpenAPI", () => {
  it("serves the OpenAPI 3.1 document without credentials", async () => {
    const res = await api("GET", "/openapi.json", { token: null });
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe("3.1.0");
    expect(res.body.paths["/helm/releases/{releaseId}/upgrade"].post.responses["200"]).toBeDefined();
  });
});
