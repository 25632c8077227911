import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/server/http/openapi";
import { operations } from "@/server/http/operations";
import { contractChecker, type Exchange } from "../helpers/openapi-contract";

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? routeFiles(full) : name === "route.ts" ? [full] : [];
  });
}

const root = path.resolve("src/app/api/v1");
const served = routeFiles(root)
  .map((file) => ({ file, template: "/" + path.relative(root, path.dirname(file)).split(path.sep).join("/").replace(/\[(\w+)\]/g, "{$1}") }))
  // The catch-all that answers unknown paths (and /api/v1 itself) 404 problem+json.
  .filter(({ template }) => template !== "/[[...rest]]");

describe("the operation table", () => {
  it("has a route folder for every path, and every route folder serves its path through endpoint()", () => {
    const declared = new Set(Object.values(operations).map((op) => op.path));
    expect(new Set(served.map((s) => s.template))).toEqual(declared);
    for (const { file, template } of served) {
      // endpoint() is what answers 405 with Allow and binds handlers to the table by operationId.
      expect(readFileSync(file, "utf8"), `${file} must export endpoint("${template}", …)`).toContain(`= endpoint("${template}", {`);
    }
  });
});

describe("the OpenAPI document", () => {
  const doc = openApiDocument();
  const operationsOf = (d: typeof doc) => Object.values(d.paths).flatMap((item) => Object.values(item));

  it("is OpenAPI 3.1 with a unique operationId on every operation", () => {
    expect(doc.openapi).toBe("3.1.0");
    const ids = operationsOf(doc).map((op) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain("upgradeRelease");
  });

  it("documents Idempotency-Key on every POST and makes request fields with defaults optional", () => {
    for (const [p, item] of Object.entries(doc.paths)) {
      if (item.post) expect(item.post.parameters, p).toContainEqual({ $ref: "#/components/parameters/IdempotencyKey" });
    }
    const upgrade = doc.components.schemas.Upgrade as { required: string[]; properties: Record<string, unknown> };
    expect(upgrade.required).toEqual(["chartVersion"]);
    expect(Object.keys(upgrade.properties)).toEqual(expect.arrayContaining(["valuesStrategy", "atomic", "acknowledgeBreakingChanges"]));
  });

  it("documents the headers answers carry: Location on creation, Link on pages, Idempotent-Replayed on POST", () => {
    const headersOf = (p: string, method: string, status: string) =>
      Object.keys((doc.paths[p]![method] as { responses: Record<string, { headers: Record<string, unknown> }> }).responses[status]!.headers);
    expect(headersOf("/tenants", "post", "201")).toEqual(["X-Request-Id", "Location", "Idempotent-Replayed"]);
    expect(headersOf("/helm/releases", "get", "200")).toContain("Link");
  });

  it("describes the created token with its secret, absent from an idempotent replay", () => {
    const created = doc.components.schemas.CreatedToken as { required: string[]; properties: Record<string, { description?: string }> };
    expect(created.properties).toHaveProperty("token");
    expect(created.required).toContain("id");
    expect(created.required).not.toContain("token");
  });
});

describe("the contract checker", () => {
  const check = contractChecker(JSON.parse(JSON.stringify(openApiDocument())));
  const tenant = { id: "7f1d7a34-70f4-4c1b-9b53-9ad1c1f1f0a1", slug: "acme", name: "Acme", environment: "production", maintenanceWindow: null, quota: null, kubeContext: null, createdAt: "2026-01-01T00:00:00.000Z" };
  const answer = (overrides: Partial<Exchange>): Exchange => ({
    method: "GET",
    url: `/api/v1/tenants/${tenant.id}`,
    status: 200,
    headers: { "content-type": "application/json", "x-request-id": "r1" },
    body: JSON.stringify(tenant),
    ...overrides,
  });
  const problem = (status: number) => JSON.stringify({ type: "urn:x", title: "t", status, detail: "d" });

  it("accepts an answer that matches", () => {
    expect(check(answer({}))).toEqual([]);
    expect(check(answer({ status: 404, headers: { "content-type": "application/problem+json", "x-request-id": "r" }, body: problem(404) }))).toEqual([]);
  });

  it("finds an undocumented status, an undocumented field, a missing required header and an undocumented header", () => {
    expect(check(answer({ status: 409, headers: { "content-type": "application/problem+json", "x-request-id": "r" }, body: problem(409) }))[0]).toMatch(/status not documented/);
    expect(check(answer({ body: JSON.stringify({ ...tenant, secret: "x" }) }))[0]).toMatch(/must NOT have additional properties/);
    expect(check(answer({ headers: { "content-type": "application/json" } }))[0]).toMatch(/required header x-request-id is missing/);
    expect(check(answer({ headers: { "content-type": "application/json", "x-request-id": "r", location: "/x" } }))[0]).toMatch(/header location is not documented/);
  });

  it("finds a request the server accepted although the document refuses it", () => {
    const created = { url: "/api/v1/tenants", method: "POST", status: 201, headers: { "content-type": "application/json", "x-request-id": "r", location: `/api/v1/tenants/${tenant.id}` } };
    expect(check(answer({ ...created, requestBody: JSON.stringify({ slug: "acme", name: "Acme", environment: "production" }) }))).toEqual([]);
    expect(check(answer({ ...created, requestBody: JSON.stringify({ slug: "acme", name: "Acme" }) }))[0]).toMatch(/accepted a request body the document refuses: request must have required property 'environment'/);
  });

  it("expects 405 problem+json with the path's Allow for a method the path does not answer, and 404 for unknown paths", () => {
    const headers = { "content-type": "application/problem+json", "x-request-id": "r", allow: "GET, HEAD, OPTIONS" };
    expect(check(answer({ method: "DELETE", status: 405, headers, body: problem(405) }))).toEqual([]);
    expect(check(answer({ method: "DELETE", status: 405, headers: { ...headers, allow: "" }, body: "" })).length).toBeGreaterThan(0);
    expect(check(answer({ method: "PUT", status: 200 }))[0]).toMatch(/expected 405/);
    expect(check(answer({ url: "/api/v1/nowhere", status: 404, headers: { "content-type": "application/problem+json" }, body: problem(404) }))).toEqual([]);
    expect(check(answer({ url: "/api/v1/nowhere", status: 200 }))[0]).toMatch(/expected 404/);
  });
});
