/**
 * Tenant isolation, endpoint by endpoint: a tenant-admin and a viewer of tenant A aim at
 * tenant B's resources through every REST route and every tRPC procedure. Another tenant's
 * resource is 404 (never 403: that would confirm it exists), a role that may not act at all
 * is 403, lists only ever show A, and nothing of B changes.
 *
 * The tables below must name every route and procedure: a new endpoint without a row fails
 * the first test, which says which entry to add.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "@/server/api/root";
import { operations } from "@/server/http/operations";
import { api, baseUrl, type ApiResponse } from "../helpers/http";
import { tenantBySlug, tokenFor, trpc } from "../helpers/identity-http";

/** What the tests know about tenants A and B. Add here what new rows need (e.g. a batch of B). */
interface Fixture {
  a: { id: string; slug: string };
  b: { id: string; slug: string };
  chart: string;
  /** A release of tenant B, with revisions 1 and 2. */
  releaseB: string;
  /** How many query-engine releases A has (a count that leaks B would be larger). */
  aChartReleases: number;
  tokenOfB: string;
  userOfB: string;
  /** A finished batch that upgraded a release of B only (on a chart of its own: the demo fleet stays as seeded). */
  batchOfB: string;
  /** A webhook that receives B's events (made by the platform admin). */
  webhookOfB: string;
  /** A notify policy of B on a chart without releases (so that it never upgrades anything). */
  policyOfB: string;
  /** A disabled chart repository (repositories are platform-wide). */
  repository: string;
}

type Caller = "tenantAdmin" | "viewer";
/** A status, or a check of a 200 answer's content. */
type Outcome = number | ((body: unknown, f: Fixture) => void);

const items = (body: unknown): Record<string, unknown>[] => (Array.isArray(body) ? body : ((body as { items?: unknown[] }).items ?? [])) as Record<string, unknown>[];
/** 200, and every item belongs to A (`field` names A's id in each item). */
const onlyOwn = (field = "tenantId"): Outcome => (body, f) => {
  expect(items(body).length).toBeGreaterThan(0);
  for (const item of items(body)) expect(item[field], JSON.stringify(item).slice(0, 200)).toBe(f.a.id);
};
const empty: Outcome = (body) => expect(items(body)).toEqual([]);
const catalog: Outcome = (body) => expect(body).toBeTruthy(); // the chart catalog is shared by every tenant
/** 200, and B's batch is not among the items. */
const withoutBatchOfB: Outcome = (body, f) => expect(items(body).map((b) => b.id)).not.toContain(f.batchOfB);
/** 200, and B's webhook is not among them. */
const withoutWebhookOfB: Outcome = (body, f) => expect(items(body).map((w) => w.id)).not.toContain(f.webhookOfB);
const ownCount: Outcome = (body, f) => expect(Object.values(body as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(f.aChartReleases);
const both = (outcome: Outcome) => ({ tenantAdmin: outcome, viewer: outcome });
const withoutPolicyOfB: Outcome = (body, f) => {
  expect(Array.isArray(body)).toBe(true);
  for (const p of items(body)) expect(p.tenant, JSON.stringify(p)).toBe(f.a.slug);
  expect(items(body).map((p) => p.id)).not.toContain(f.policyOfB);
};

interface Probe {
  /** REST: the path under /api/v1 and the body; tRPC: the input. */
  path?: (f: Fixture) => string;
  body?: (f: Fixture) => unknown;
  input?: (f: Fixture) => unknown;
  /** For what a plain request cannot show (e.g. a tRPC subscription's SSE stream): make the call yourself. */
  call?: (f: Fixture, token: string) => Promise<{ status: number; body: unknown }>;
  expect: Record<Caller, Outcome>;
}
type Row = Probe | Probe[];

const install = (f: Fixture) => ({ tenantId: f.b.id, name: "intruder", namespace: "isolation", chartName: f.chart, chartVersion: "1.3.0" });
const publish = { name: "isolation-probe", version: "1.0.0", appVersion: "1.0.0", defaultValues: {} };
const newTenant = { slug: "isolation-probe", name: "Probe", environment: "development" };
const newToken = (f: Fixture) => ({ name: "intruder", role: "tenant-admin", tenantId: f.b.id });
const newUser = (f: Fixture) => ({ email: "intruder@isolation.test", password: "long-enough-password", role: "tenant-admin", tenantId: f.b.id });
const upgrade = (f: Fixture) => ({ releaseId: f.releaseB, chartVersion: "1.3.0", acknowledgeBreakingChanges: true });
const newWebhook = (f: Fixture) => ({ url: "https://intruder.example.test/hook", events: ["release.upgraded"], tenant: f.b.slug });
/** Webhooks: a tenant-admin does not find B's (404); a viewer may not manage any (403). */
const webhookOfB = { tenantAdmin: 404, viewer: 403 };
const newRepository = { name: "intruder", url: "http://127.0.0.1:9/charts" };
const policyInB = (f: Fixture) => ({ chartName: "isolation-policy", tenant: f.b.slug, range: "^1" });
/** A tenant-admin naming another tenant is told there is no such tenant (422), a viewer that it may not act (403). */
const refusedPolicy = { tenantAdmin: 422, viewer: 403 };

/** Every REST route: "METHOD /path" with :params as the route folders name them. */
const restMatrix: Record<string, Row> = {
  "GET /audit": [
    { path: () => "/audit", expect: both(onlyOwn()) },
    { path: (f) => `/audit?tenant=${f.b.slug}`, expect: both(empty) },
    { path: (f) => `/audit?releaseId=${f.releaseB}`, expect: both(empty) },
  ],
  "GET /helm/charts": { path: () => "/helm/charts", expect: both(catalog) },
  "POST /helm/charts": { path: () => "/helm/charts", body: () => publish, expect: both(403) },
  "GET /helm/charts/:chartName/versions": { path: (f) => `/helm/charts/${f.chart}/versions`, expect: both(catalog) },
  "GET /helm/charts/:chartName/versions/:version": { path: (f) => `/helm/charts/${f.chart}/versions/1.3.0`, expect: both(catalog) },
  "GET /helm/releases": [
    { path: () => "/helm/releases", expect: both(onlyOwn()) },
    { path: (f) => `/helm/releases?tenant=${f.b.slug}`, expect: both(empty) },
    { path: (f) => `/helm/releases?tenant=${f.b.id}`, expect: both(empty) },
  ],
  "POST /helm/releases": { path: () => "/helm/releases", body: install, expect: both(404) },
  "GET /helm/releases/:releaseId": { path: (f) => `/helm/releases/${f.releaseB}`, expect: both(404) },
  "GET /helm/releases/:releaseId/revisions": { path: (f) => `/helm/releases/${f.releaseB}/revisions`, expect: both(404) },
  "GET /helm/releases/:releaseId/revisions/:revision": { path: (f) => `/helm/releases/${f.releaseB}/revisions/1`, expect: both(404) },
  "POST /helm/releases/:releaseId/rollback": { path: (f) => `/helm/releases/${f.releaseB}/rollback`, body: () => ({}), expect: both(404) },
  "POST /helm/releases/:releaseId/upgrade": { path: (f) => `/helm/releases/${f.releaseB}/upgrade`, body: (f) => ({ ...upgrade(f), releaseId: undefined }), expect: both(404) },
  "GET /helm/releases/:releaseId/upgrade-plan": { path: (f) => `/helm/releases/${f.releaseB}/upgrade-plan?targetVersion=1.3.0`, expect: both(404) },
  "POST /helm/releases/:releaseId/upgrade-plan": { path: (f) => `/helm/releases/${f.releaseB}/upgrade-plan`, body: () => ({ chartVersion: "1.3.0" }), expect: both(404) },
  "GET /helm/releases/chart/:chartName/needs-upgrade": [
    { path: (f) => `/helm/releases/chart/${f.chart}/needs-upgrade?targetVersion=9.9.9`, expect: both(onlyOwn()) },
    { path: (f) => `/helm/releases/chart/${f.chart}/needs-upgrade?targetVersion=9.9.9&tenant=${f.b.slug}`, expect: both(empty) },
  ],
  "GET /helm/releases/chart/:chartName/versions": { path: (f) => `/helm/releases/chart/${f.chart}/versions`, expect: both(ownCount) },
  "GET /helm/batches": { path: () => "/helm/batches", expect: both(withoutBatchOfB) },
  "GET /helm/batches/:batchId": { path: (f) => `/helm/batches/${f.batchOfB}`, expect: both(404) },
  "GET /helm/batches/:batchId/events": { path: (f) => `/helm/batches/${f.batchOfB}/events`, expect: both(404) },
  "GET /helm/batches/:batchId/items": { path: (f) => `/helm/batches/${f.batchOfB}/items`, expect: both(404) },
  // Batch control is platform-admin work: 403 whatever the batch, so nothing is learnt about it.
  "POST /helm/batches/:batchId/cancel": { path: (f) => `/helm/batches/${f.batchOfB}/cancel`, expect: both(403) },
  "POST /helm/batches/:batchId/pause": { path: (f) => `/helm/batches/${f.batchOfB}/pause`, expect: both(403) },
  "POST /helm/batches/:batchId/resume": { path: (f) => `/helm/batches/${f.batchOfB}/resume`, expect: both(403) },
  "POST /helm/batches/:batchId/rollback": { path: (f) => `/helm/batches/${f.batchOfB}/rollback`, expect: both(403) },
  "POST /helm/releases/chart/:chartName/batch-upgrade": [
    { path: (f) => `/helm/releases/chart/${f.chart}/batch-upgrade?targetVersion=1.3.0&tenant=${f.b.slug}`, expect: both(403) },
    { path: (f) => `/helm/releases/chart/${f.chart}/batch-upgrade?targetVersion=1.3.0&tenant=${f.b.slug}&dryRun=true`, expect: both(403) },
  ],
  "GET /helm/repositories": { path: () => "/helm/repositories", expect: both(403) },
  "POST /helm/repositories": { path: () => "/helm/repositories", body: () => newRepository, expect: both(403) },
  "GET /helm/repositories/:id": { path: (f) => `/helm/repositories/${f.repository}`, expect: both(403) },
  "PATCH /helm/repositories/:id": { path: (f) => `/helm/repositories/${f.repository}`, body: () => ({ enabled: true }), expect: both(403) },
  "DELETE /helm/repositories/:id": { path: (f) => `/helm/repositories/${f.repository}`, expect: both(403) },
  "POST /helm/repositories/:id/sync": { path: (f) => `/helm/repositories/${f.repository}/sync`, expect: both(403) },
  "GET /helm/policies": { path: () => "/helm/policies", expect: both(withoutPolicyOfB) },
  "POST /helm/policies": { path: () => "/helm/policies", body: policyInB, expect: refusedPolicy },
  "GET /helm/policies/:id": { path: (f) => `/helm/policies/${f.policyOfB}`, expect: both(404) },
  "PATCH /helm/policies/:id": { path: (f) => `/helm/policies/${f.policyOfB}`, body: () => ({ mode: "auto" }), expect: both(404) },
  "DELETE /helm/policies/:id": { path: (f) => `/helm/policies/${f.policyOfB}`, expect: both(404) },
  "GET /helm/policies/:id/preview": { path: (f) => `/helm/policies/${f.policyOfB}/preview`, expect: both(404) },
  "GET /openapi.json": { path: () => "/openapi.json", expect: both(catalog) }, // public: describes the API, holds no data
  "GET /tenants": { path: () => "/tenants", expect: both(onlyOwn("id")) },
  "GET /tenants/:tenantId": { path: (f) => `/tenants/${f.b.id}`, expect: both(404) },
  "POST /tenants": { path: () => "/tenants", body: () => newTenant, expect: both(403) },
  "GET /tokens": { path: () => "/tokens", expect: both(403) },
  "POST /tokens": { path: () => "/tokens", body: newToken, expect: both(403) },
  "GET /tokens/:id": { path: (f) => `/tokens/${f.tokenOfB}`, expect: both(403) },
  "DELETE /tokens/:id": { path: (f) => `/tokens/${f.tokenOfB}`, expect: both(403) },
  "GET /webhooks": { path: () => "/webhooks", expect: { tenantAdmin: withoutWebhookOfB, viewer: 403 } },
  "POST /webhooks": { path: () => "/webhooks", body: newWebhook, expect: both(403) },
  "GET /webhooks/:id": { path: (f) => `/webhooks/${f.webhookOfB}`, expect: webhookOfB },
  "PATCH /webhooks/:id": { path: (f) => `/webhooks/${f.webhookOfB}`, body: () => ({ enabled: false }), expect: webhookOfB },
  "DELETE /webhooks/:id": { path: (f) => `/webhooks/${f.webhookOfB}`, expect: webhookOfB },
  "GET /webhooks/:id/deliveries": { path: (f) => `/webhooks/${f.webhookOfB}/deliveries`, expect: webhookOfB },
  "POST /webhooks/:id/test": { path: (f) => `/webhooks/${f.webhookOfB}/test`, expect: webhookOfB },
  "GET /users": { path: () => "/users", expect: both(403) },
  "POST /users": { path: () => "/users", body: newUser, expect: both(403) },
  "GET /users/:id": { path: (f) => `/users/${f.userOfB}`, expect: both(403) },
  "DELETE /users/:id": { path: (f) => `/users/${f.userOfB}`, expect: both(403) },
};

/** Every tRPC procedure by its path ("router.procedure"). */
const trpcMatrix: Record<string, Row> = {
  "tenants.list": { expect: both(onlyOwn("id")) },
  "tenants.create": { input: () => newTenant, expect: both(403) },
  "charts.list": { expect: both(catalog) },
  "charts.versions": { input: (f) => ({ chartName: f.chart }), expect: both(catalog) },
  "charts.version": { input: (f) => ({ chartName: f.chart, version: "1.3.0" }), expect: both(catalog) },
  "charts.publish": { input: () => publish, expect: both(403) },
  "releases.list": [
    { input: () => ({}), expect: both(onlyOwn()) },
    { input: (f) => ({ tenant: f.b.slug }), expect: both(empty) },
  ],
  "releases.get": { input: (f) => ({ releaseId: f.releaseB }), expect: both(404) },
  "releases.revisions": { input: (f) => ({ releaseId: f.releaseB }), expect: both(404) },
  "releases.revision": { input: (f) => ({ releaseId: f.releaseB, revision: 1 }), expect: both(404) },
  "releases.install": { input: install, expect: both(404) },
  "releases.upgrade": { input: upgrade, expect: both(404) },
  "releases.plan": { input: upgrade, expect: both(404) },
  "releases.rollback": { input: (f) => ({ releaseId: f.releaseB }), expect: both(404) },
  "batches.list": { input: () => ({}), expect: both(withoutBatchOfB) },
  "batches.get": { input: (f) => ({ batchId: f.batchOfB }), expect: both(404) },
  "batches.items": { input: (f) => ({ batchId: f.batchOfB }), expect: both(404) },
  "batches.preview": { input: (f) => ({ chartName: f.chart, targetVersion: "1.3.0", tenant: f.b.slug }), expect: both(403) },
  "batches.start": { input: (f) => ({ chartName: f.chart, targetVersion: "1.3.0", tenant: f.b.slug }), expect: both(403) },
  "batches.cancel": { input: (f) => ({ batchId: f.batchOfB }), expect: both(403) },
  "batches.pause": { input: (f) => ({ batchId: f.batchOfB }), expect: both(403) },
  "batches.resume": { input: (f) => ({ batchId: f.batchOfB }), expect: both(403) },
  "batches.rollback": { input: (f) => ({ batchId: f.batchOfB }), expect: both(403) },
  "batches.events": { call: (f, token) => subscriptionOutcome("batches.events", { batchId: f.batchOfB }, token), expect: both(404) },
  "fleet.versions": { input: (f) => ({ chartName: f.chart }), expect: both(ownCount) },
  "fleet.needsUpgrade": [
    { input: (f) => ({ chartName: f.chart, targetVersion: "9.9.9" }), expect: both(onlyOwn()) },
    { input: (f) => ({ chartName: f.chart, targetVersion: "9.9.9", tenant: f.b.slug }), expect: both(empty) },
  ],
  "audit.list": [
    { input: () => ({}), expect: both(onlyOwn()) },
    { input: (f) => ({ tenant: f.b.slug }), expect: both(empty) },
  ],
  "tokens.list": { expect: both(403) },
  "tokens.create": { input: newToken, expect: both(403) },
  "tokens.revoke": { input: (f) => ({ id: f.tokenOfB }), expect: both(403) },
  "webhooks.list": { expect: { tenantAdmin: withoutWebhookOfB, viewer: 403 } },
  "webhooks.get": { input: (f) => ({ id: f.webhookOfB }), expect: webhookOfB },
  "webhooks.create": { input: newWebhook, expect: both(403) },
  "webhooks.update": { input: (f) => ({ id: f.webhookOfB, changes: { enabled: false } }), expect: webhookOfB },
  "webhooks.delete": { input: (f) => ({ id: f.webhookOfB }), expect: webhookOfB },
  "webhooks.deliveries": { input: (f) => ({ id: f.webhookOfB }), expect: webhookOfB },
  "webhooks.test": { input: (f) => ({ id: f.webhookOfB }), expect: webhookOfB },
  "users.list": { expect: both(403) },
  "users.create": { input: newUser, expect: both(403) },
  "users.disable": { input: (f) => ({ id: f.userOfB }), expect: both(403) },
  "repositories.list": { expect: both(403) },
  "repositories.get": { input: (f) => ({ id: f.repository }), expect: both(403) },
  "repositories.create": { input: () => newRepository, expect: both(403) },
  "repositories.update": { input: (f) => ({ id: f.repository, changes: { enabled: true } }), expect: both(403) },
  "repositories.delete": { input: (f) => ({ id: f.repository }), expect: both(403) },
  "repositories.sync": { input: (f) => ({ id: f.repository }), expect: both(403) },
  "policies.list": { expect: both(withoutPolicyOfB) },
  "policies.get": { input: (f) => ({ id: f.policyOfB }), expect: both(404) },
  "policies.preview": { input: (f) => ({ id: f.policyOfB }), expect: both(404) },
  "policies.create": { input: policyInB, expect: refusedPolicy },
  "policies.update": { input: (f) => ({ id: f.policyOfB, changes: { mode: "auto" } }), expect: both(404) },
  "policies.delete": { input: (f) => ({ id: f.policyOfB }), expect: both(404) },
  "auth.me": { expect: both((body, f) => expect(body).toMatchObject({ tenantId: f.a.id, tenantSlug: f.a.slug })) },
};

/**
 * A tRPC subscription answers 200 and reports a refusal inside the event stream; this reads
 * the stream until its first error or data event and returns that as a status.
 */
async function subscriptionOutcome(name: string, input: unknown, token: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${baseUrl()}/api/trpc/${name}?input=${encodeURIComponent(JSON.stringify(input))}`, {
    headers: { Authorization: `Bearer ${token}`, Accept: "text/event-stream" },
    signal: AbortSignal.timeout(10_000),
  });
  if (res.status !== 200 || !res.body) return { status: res.status, body: await res.text() };
  const reader = res.body.getReader();
  let text = "";
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
      const error = /event: serialized-error\ndata: (.*)\n/.exec(text);
      if (error) {
        const data = JSON.parse(error[1]!) as { data?: { httpStatus?: number } };
        return { status: data.data?.httpStatus ?? 500, body: data };
      }
      const event = /(?:^|\n)(?:id: [^\n]*\n)?data: (.*)\n/.exec(text);
      if (event) return { status: 200, body: JSON.parse(event[1]!) };
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return { status: 200, body: text };
}

/** "METHOD /path" for every REST operation, from the operation table every route is declared in. */
function restEndpoints(): string[] {
  return Object.values(operations)
    .map((op) => `${op.method} ${op.path.replace(/\{(\w+)\}/g, ":$1")}`)
    .sort();
}

/** A chart of its own, one release of it in tenant B, and a batch that upgrades it: B's batch. */
async function givenBatchIn(tenantId: string, slug: string): Promise<string> {
  const chart = `isolation-batch-${Date.now().toString(36)}`;
  for (const version of ["1.0.0", "1.1.0"]) {
    expect((await api("POST", "/helm/charts", { body: { name: chart, version, appVersion: version, defaultValues: { replicaCount: 1 } } })).status).toBe(201);
  }
  expect((await api("POST", "/helm/releases", { body: { tenantId, name: "batched", namespace: "isolation", chartName: chart, chartVersion: "1.0.0" } })).status).toBe(201);
  const batch = await api("POST", `/helm/releases/chart/${chart}/batch-upgrade?targetVersion=1.1.0&tenant=${slug}`);
  expect(batch.status).toBe(200);
  return batch.headers.get("location")!.split("/").pop()!;
}

const procedures = () => appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;
const probes = (row: Row) => (Array.isArray(row) ? row : [row]);

describe("tenant isolation matrix", () => {
  let f: Fixture;
  const tokens = {} as Record<Caller, string>;
  let before: unknown;

  /** Everything of B (and the platform) an intruder could change, read as the platform admin. */
  async function snapshotOfB() {
    const read = async (p: string) => (await api("GET", p)).body;
    const releases = items(await read(`/helm/releases?tenant=${f.b.slug}`)).map((r) => [r.id, r.latestRevision, r.status, r.updatedAt]);
    return {
      releases,
      revisions: await read(`/helm/releases/${f.releaseB}/revisions`),
      audit: items(await read(`/audit?tenant=${f.b.slug}&limit=1`)).map((e) => e.id),
      tenants: items(await read("/tenants")).length,
      charts: await read("/helm/charts"),
      tokens: items(await read("/tokens")).map((t) => [t.id, t.revokedAt]).filter(([id]) => id === f.tokenOfB),
      users: items(await read("/users")).map((u) => [u.id, u.disabledAt, u.role]),
      webhook: await read(`/webhooks/${f.webhookOfB}`),
      deliveries: await read(`/webhooks/${f.webhookOfB}/deliveries`),
      // lastEvaluatedAt moves on its own: the background evaluation runs every minute.
      policies: items(await read("/helm/policies")).map((p) => [p.id, p.tenant, p.range, p.mode, p.enabled]),
      repositories: items(await read("/helm/repositories")).map((r) => [r.id, r.name, r.url, r.enabled, r.intervalSeconds]),
    };
  }

  beforeAll(async () => {
    const [a, b] = await Promise.all([tenantBySlug("acme-dev"), tenantBySlug("globex")]);
    const chart = "matih-query-engine";
    const releasesOfB = items((await api("GET", `/helm/releases?tenant=${b.slug}&chart=${chart}`)).body);
    const releaseB = releasesOfB.find((r) => (r.latestRevision as number) >= 2)!.id as string;
    const aChartReleases = items((await api("GET", `/helm/releases?tenant=${a.slug}&chart=${chart}`)).body).length;
    const tokenOfB = (await tokenFor("viewer", b.id)).id;
    const userOfB = items((await api("GET", "/users")).body).find((u) => u.tenantId === b.id)!.id as string;
    const batchOfB = await givenBatchIn(b.id, b.slug);
    // Disabled: it must queue nothing while the other rows run (a test event to it would still be a row).
    const webhook = await api("POST", "/webhooks", { body: { url: "https://receiver.example.test/b", events: ["release.upgraded"], tenant: b.slug, enabled: false } });
    expect(webhook.status).toBe(201);
    const policy = await api("POST", "/helm/policies", { body: { ...policyInB({ b } as Fixture), mode: "notify" } });
    expect(policy.status).toBe(201);
    const repository = await api("POST", "/helm/repositories", { body: { name: `isolation-${Date.now().toString(36)}`, url: "http://127.0.0.1:9/charts", enabled: false } });
    expect(repository.status).toBe(201);
    f = { a, b, chart, releaseB, aChartReleases, tokenOfB, userOfB, batchOfB, webhookOfB: webhook.body.id, policyOfB: policy.body.id, repository: repository.body.id };
    tokens.tenantAdmin = (await tokenFor("tenant-admin", a.id)).token;
    tokens.viewer = (await tokenFor("viewer", a.id)).token;
    before = await snapshotOfB();
  });

  it("lists every REST route and every tRPC procedure", () => {
    const missingRest = restEndpoints().filter((e) => !(e in restMatrix));
    const missingTrpc = Object.keys(procedures()).filter((p) => !(p in trpcMatrix));
    const advice = [
      ...missingRest.map((e) => `add to restMatrix in tests/http/isolation-matrix.test.ts: "${e}": { path: (f) => "…tenant B's resource…", body?: (f) => ({…}), expect: both(404 | 403 | onlyOwn() | empty) },`),
      ...missingTrpc.map((p) => `add to trpcMatrix in tests/http/isolation-matrix.test.ts: "${p}": { input: (f) => ({…tenant B's resource…}), expect: both(404 | 403 | onlyOwn() | empty) },`),
    ];
    expect(advice, `endpoints without an isolation row:\n${advice.join("\n")}`).toEqual([]);
    // And no stale rows for endpoints that no longer exist.
    expect(Object.keys(restMatrix).filter((k) => !restEndpoints().includes(k))).toEqual([]);
    expect(Object.keys(trpcMatrix).filter((k) => !(k in procedures()))).toEqual([]);
  });

  const check = (outcome: Outcome, res: { status: number; body: unknown }, label: string) => {
    if (typeof outcome === "number") expect(res.status, `${label}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(outcome);
    else {
      expect(res.status, `${label}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(200);
      outcome(res.body, f);
    }
  };

  it.each(Object.keys(restMatrix))("REST %s", async (endpoint) => {
    const [method, template] = endpoint.split(" ") as [string, string];
    for (const probe of probes(restMatrix[endpoint]!)) {
      for (const caller of ["tenantAdmin", "viewer"] as const) {
        const p = probe.path!(f);
        const res: ApiResponse | { status: number; body: unknown } = probe.call
          ? await probe.call(f, tokens[caller])
          : await api(method, p, { token: tokens[caller], body: probe.body?.(f) });
        check(probe.expect[caller], res, `${caller} ${method} ${p} (${template})`);
      }
    }
  });

  it.each(Object.keys(trpcMatrix))("tRPC %s", async (name) => {
    const type = procedures()[name]!._def.type;
    for (const probe of probes(trpcMatrix[name]!)) {
      for (const caller of ["tenantAdmin", "viewer"] as const) {
        if (probe.call) {
          check(probe.expect[caller], await probe.call(f, tokens[caller]), `${caller} ${name}`);
          continue;
        }
        const res = await trpc(type, name, probe.input?.(f), { token: tokens[caller] });
        check(probe.expect[caller], { status: res.status, body: res.status === 200 ? res.data : res.error }, `${caller} ${name}`);
      }
    }
  });

  it("changed nothing of tenant B or of the platform", async () => {
    expect(await snapshotOfB()).toEqual(before);
  });
});
