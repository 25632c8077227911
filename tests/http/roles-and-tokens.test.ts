/**
 * Who may change what, on the caller's own tenant: every mutating REST endpoint against
 * a platform admin, a tenant admin and a viewer; and API tokens that stop working at once.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { api } from "../helpers/http";
import { tenantBySlug, tokenFor, trpc } from "../helpers/identity-http";

type Role = "platformAdmin" | "tenantAdmin" | "viewer";

describe("role matrix on the caller's own tenant", () => {
  const tokens = {} as Record<Role, string>;
  let tenant: { id: string; slug: string };
  let releaseId: string;

  beforeAll(async () => {
    tenant = await tenantBySlug("acme-dev");
    tokens.platformAdmin = (await tokenFor("platform-admin", null)).token;
    tokens.tenantAdmin = (await tokenFor("tenant-admin", tenant.id)).token;
    tokens.viewer = (await tokenFor("viewer", tenant.id)).token;
    const installed = await api("POST", "/helm/releases", {
      body: { tenantId: tenant.id, name: "roles", namespace: "roles", chartName: "matih-gateway", chartVersion: "2.0.0" },
    });
    expect(installed.status).toBe(201);
    releaseId = installed.body.release.id;
  });

  // Viewers first, so that a wrongly allowed change would disturb the rows after it.
  const order: Role[] = ["viewer", "tenantAdmin", "platformAdmin"];
  const matrix: { endpoint: string; body: (role: Role) => unknown; path?: (role: Role) => Promise<string> | string; expect: Record<Role, number> }[] = [
    { endpoint: "POST /tenants", body: (r) => ({ slug: `roles-${r.toLowerCase()}`, name: "Roles", environment: "development" }), expect: { viewer: 403, tenantAdmin: 403, platformAdmin: 201 } },
    {
      endpoint: "POST /helm/charts",
      body: (r) => ({ name: "roles-chart", version: `1.0.${order.indexOf(r)}`, appVersion: "1", defaultValues: {} }),
      expect: { viewer: 403, tenantAdmin: 403, platformAdmin: 201 },
    },
    {
      endpoint: "POST /helm/releases",
      body: (r) => ({ tenantId: tenant.id, name: `roles-${r.toLowerCase()}`, namespace: "roles", chartName: "matih-gateway", chartVersion: "2.0.0" }),
      expect: { viewer: 403, tenantAdmin: 201, platformAdmin: 201 },
    },
    { endpoint: "POST /helm/releases/:id/upgrade-plan", body: () => ({ chartVersion: "2.1.0" }), expect: { viewer: 200, tenantAdmin: 200, platformAdmin: 200 } },
    { endpoint: "POST /helm/releases/:id/upgrade", body: () => ({ chartVersion: "2.1.0", acknowledgeBreakingChanges: true }), expect: { viewer: 403, tenantAdmin: 200, platformAdmin: 200 } },
    { endpoint: "POST /helm/releases/:id/rollback", body: () => ({ revision: 1 }), expect: { viewer: 403, tenantAdmin: 200, platformAdmin: 200 } },
    { endpoint: "POST /tokens", body: () => ({ name: "roles", role: "viewer", tenantId: tenant.id }), expect: { viewer: 403, tenantAdmin: 403, platformAdmin: 201 } },
    {
      endpoint: "DELETE /tokens/:id",
      body: () => undefined,
      path: async () => `/tokens/${(await tokenFor("viewer", tenant.id)).id}`,
      expect: { viewer: 403, tenantAdmin: 403, platformAdmin: 204 },
    },
    {
      endpoint: "POST /users",
      body: (r) => ({ email: `roles-${r.toLowerCase()}@roles.test`, password: "long-enough-password", role: "viewer", tenantId: tenant.id }),
      expect: { viewer: 403, tenantAdmin: 403, platformAdmin: 201 },
    },
    {
      endpoint: "DELETE /users/:id",
      body: () => undefined,
      path: async (r) => `/users/${(await api("POST", "/users", { body: { email: `gone-${r.toLowerCase()}@roles.test`, role: "viewer", tenantId: tenant.id } })).body.id}`,
      expect: { viewer: 403, tenantAdmin: 403, platformAdmin: 204 },
    },
  ];

  it.each(matrix.map((row) => [row.endpoint, row] as const))("%s", async (_name, row) => {
    const [method, template] = row.endpoint.split(" ") as [string, string];
    for (const role of order) {
      const path = row.path ? await row.path(role) : template.replace(":id", releaseId);
      const res = await api(method, path, { token: tokens[role], body: row.body(role) });
      expect(res.status, `${role} ${method} ${path}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(row.expect[role]);
    }
  });
});

describe("roles that may not act at all", () => {
  it("are told 403 before anything about their input (REST and tRPC)", async () => {
    const viewer = (await tokenFor("viewer", null)).token;
    for (const [method, path] of [["POST", "/tenants"], ["POST", "/helm/charts"], ["POST", "/tokens"], ["POST", "/users"], ["DELETE", "/tokens/not-a-uuid"], ["DELETE", "/users/not-a-uuid"], ["POST", "/helm/batches/not-a-uuid/cancel"], ["POST", "/helm/releases/chart/matih-query-engine/batch-upgrade"]] as const) {
      expect((await api(method, path, { token: viewer, body: method === "POST" ? { nonsense: true } : undefined })).status, `${method} ${path}`).toBe(403);
    }
    for (const name of ["tenants.create", "charts.publish", "tokens.create", "tokens.revoke", "users.create", "users.disable", "batches.start", "batches.cancel"]) {
      expect((await trpc("mutation", name, { nonsense: true }, { token: viewer })).status, name).toBe(403);
    }
    expect((await trpc("query", "batches.preview", { nonsense: true }, { token: viewer })).status).toBe(403);
  });
});

describe("API tokens", () => {
  it("are shown once, stored as a prefix only, record their last use, and stop at once when revoked or expired", async () => {
    const created = await tokenFor("viewer", null);
    expect(created).toMatchObject({ role: "viewer", tenantId: null, name: expect.any(String), id: expect.any(String) });
    expect(created.token.startsWith(created.prefix)).toBe(true);
    expect((await api("GET", "/helm/charts", { token: created.token })).status).toBe(200);
    const listed = (await api("GET", "/tokens")).body.find((t: { id: string }) => t.id === created.id);
    expect(listed.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(created.token);

    expect((await api("DELETE", `/tokens/${created.id}`)).status).toBe(204);
    const revoked = await api("GET", "/helm/charts", { token: created.token });
    expect(revoked.status).toBe(401);
    expect(revoked.headers.get("content-type")).toContain("application/problem+json");

    const expiring = await tokenFor("viewer", null, { expiresAt: new Date(Date.now() + 1500).toISOString() });
    expect((await api("GET", "/helm/charts", { token: expiring.token })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1700));
    expect((await api("GET", "/helm/charts", { token: expiring.token })).status).toBe(401);

    expect((await api("GET", "/helm/charts", { token: null })).status).toBe(401);
    expect((await api("GET", "/helm/charts", { token: "hd_not-a-real-token-at-all" })).status).toBe(401);
  });

  it("audits token and user changes with the actor and request id", async () => {
    const res = await api("POST", "/users", { body: { email: "audited@roles.test", role: "viewer" }, headers: { "X-Request-Id": "audit-probe-1" } });
    expect(res.status).toBe(201);
    const events = (await api("GET", "/audit?action=user.create")).body as { targetId: string; actor: string; requestId: string }[];
    expect(events.find((e) => e.targetId === res.body.id)).toMatchObject({ actor: "token:bootstrap", requestId: "audit-probe-1" });
  });
});
