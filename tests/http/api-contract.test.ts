/**
 * What the OpenAPI document promises beyond single answers: the served document is the one
 * generated from the operation table, every Location can be read, a known path answers a
 * method it lacks with 405 and Allow, and browsers on a configured origin may call the API.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/server/http/openapi";
import { tenantBySlug, tokenFor } from "../helpers/identity-http";
import { api, baseUrl, CORS_ORIGIN } from "../helpers/http";

const suffix = randomBytes(3).toString("hex");

/** Follows a Location header the way a client does: relative to the server. */
const follow = async (location: string | null, token?: string) => {
  expect(location).toMatch(/^\/api\/v1\//);
  return api("GET", location!.slice("/api/v1".length), { token });
};

describe("the served OpenAPI document", () => {
  it("is the one generated from the operation table, served without credentials", async () => {
    const res = await fetch(`${baseUrl()}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  });
});

describe("every Location names a resource that can be read", () => {
  it("a created tenant, and a tenant-admin reads its own tenant but not another's", async () => {
    const created = await api("POST", "/tenants", { body: { slug: `loc-${suffix}`, name: "Located", environment: "development" } });
    expect(created.status).toBe(201);
    const read = await follow(created.headers.get("location"));
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);

    const acme = await tenantBySlug("acme");
    const acmeAdmin = (await tokenFor("tenant-admin", acme.id)).token;
    expect((await api("GET", `/tenants/${acme.id}`, { token: acmeAdmin })).body).toMatchObject({ id: acme.id, slug: "acme" });
    expect((await api("GET", `/tenants/${created.body.id}`, { token: acmeAdmin })).status).toBe(404);
    expect((await api("GET", "/tenants/not-a-uuid")).status).toBe(400);
  });

  it("a created user and a created token (without its secret); other roles get 403 as for the lists", async () => {
    const user = await api("POST", "/users", { body: { email: `located-${suffix}@example.test`, role: "viewer" } });
    expect(user.status).toBe(201);
    expect((await follow(user.headers.get("location"))).body).toEqual(user.body);

    const token = await api("POST", "/tokens", { body: { name: `located-${suffix}`, role: "viewer" } });
    expect(token.status).toBe(201);
    expect(token.body.token).toEqual(expect.any(String));
    const { token: secret, ...described } = token.body;
    const readToken = await follow(token.headers.get("location"));
    expect(readToken.body).toEqual(described);
    expect(JSON.stringify(readToken.body)).not.toContain(secret);

    const viewer = (await tokenFor("viewer", null)).token;
    expect((await follow(user.headers.get("location"), viewer)).status).toBe(403);
    expect((await follow(token.headers.get("location"), viewer)).status).toBe(403);
    expect((await api("GET", `/tokens/${crypto.randomUUID()}`)).status).toBe(404);
  });

  it("a published chart version, with its default values, values schema and changes", async () => {
    const body = {
      name: `located-${suffix}`,
      version: "1.0.0+build.7",
      appVersion: "2.0",
      defaultValues: { replicaCount: 1 },
      valuesSchema: { type: "object", properties: { replicaCount: { type: "integer" } } },
      changes: [{ kind: "added", description: "first" }],
    };
    const published = await api("POST", "/helm/charts", { body });
    expect(published.status).toBe(201);
    const read = await follow(published.headers.get("location"));
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ name: body.name, version: body.version, defaultValues: body.defaultValues, valuesSchema: body.valuesSchema, changes: body.changes });
    expect((await api("GET", `/helm/charts/${body.name}/versions/9.9.9`)).status).toBe(404);
    expect((await api("GET", `/helm/charts/${body.name}/versions/not-semver`)).status).toBe(400);
  });
});

describe("methods", () => {
  it("a known path answers a method it lacks with 405 problem+json and Allow", async () => {
    for (const [method, path, allow] of [
      ["DELETE", "/tenants", "GET, POST, HEAD, OPTIONS"],
      ["PUT", `/helm/releases/${crypto.randomUUID()}`, "GET, HEAD, OPTIONS"],
      ["GET", `/helm/releases/${crypto.randomUUID()}/upgrade`, "POST, OPTIONS"],
      ["PATCH", "/tokens/" + crypto.randomUUID(), "GET, DELETE, HEAD, OPTIONS"],
    ] as const) {
      const res = await api(method, path);
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(res.headers.get("allow")).toBe(allow);
      expect(res.body).toMatchObject({ status: 405, title: "Method not allowed" });
    }
  });

  it("OPTIONS answers Allow; an unknown path stays 404", async () => {
    const res = await fetch(`${baseUrl()}/api/v1/helm/batches`, { method: "OPTIONS" });
    expect(res.status).toBe(204);
    expect(res.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    expect((await api("GET", "/no/such/path")).status).toBe(404);
  });
});

describe("CORS (HELMDECK_CORS_ORIGINS)", () => {
  it("answers a configured origin's preflight and lets it read answers and their headers, never with credentials", async () => {
    const preflight = await fetch(`${baseUrl()}/api/v1/helm/releases`, {
      method: "OPTIONS",
      headers: { Origin: CORS_ORIGIN, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type, idempotency-key" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(CORS_ORIGIN);
    expect(preflight.headers.get("access-control-allow-methods")).toBe("GET, POST, HEAD, OPTIONS");
    expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("idempotency-key");
    expect(preflight.headers.get("access-control-allow-credentials")).toBeNull();

    const read = await api("GET", "/helm/releases?limit=1", { headers: { Origin: CORS_ORIGIN } });
    expect(read.status).toBe(200);
    expect(read.headers.get("access-control-allow-origin")).toBe(CORS_ORIGIN);
    expect(read.headers.get("access-control-expose-headers")).toContain("Link");
    expect(read.headers.get("vary")).toContain("Origin");
    expect(read.headers.get("access-control-allow-credentials")).toBeNull();

    const trpcPreflight = await fetch(`${baseUrl()}/api/trpc/tenants.list`, { method: "OPTIONS", headers: { Origin: CORS_ORIGIN, "Access-Control-Request-Method": "GET" } });
    expect(trpcPreflight.status).toBe(204);
    expect(trpcPreflight.headers.get("access-control-allow-origin")).toBe(CORS_ORIGIN);
    const trpcRead = await fetch(`${baseUrl()}/api/trpc/tenants.list`, { headers: { Origin: CORS_ORIGIN, Authorization: `Bearer ${(await tokenFor("viewer", null)).token}` } });
    expect(trpcRead.status).toBe(200);
    expect(trpcRead.headers.get("access-control-allow-origin")).toBe(CORS_ORIGIN);
  });

  it("gives an origin that is not configured nothing to read with", async () => {
    const other = "https://elsewhere.example.test";
    const preflight = await fetch(`${baseUrl()}/api/v1/helm/releases`, { method: "OPTIONS", headers: { Origin: other, "Access-Control-Request-Method": "POST" } });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
    const read = await api("GET", "/helm/releases?limit=1", { headers: { Origin: other } });
    expect(read.headers.get("access-control-allow-origin")).toBeNull();
  });
});
