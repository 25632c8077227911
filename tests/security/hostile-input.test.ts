/**
 * The probe's reproductions against a real `next start`: strings no database can store,
 * impossible cursors and oversized bodies on every face are a 4xx that changes nothing.
 */
import { randomBytes } from "node:crypto";
import { request } from "node:http";
import { beforeAll, describe, expect, it } from "vitest";
import { api, baseUrl } from "../helpers/http";
import { tenantBySlug, tokenFor, trpc } from "../helpers/identity-http";

const suffix = randomBytes(3).toString("hex");
const chartName = `hostile-${suffix}`;
let release: { id: string; tenantId: string };
let tenantAdmin: string;

const revisionCount = async () => ((await api("GET", `/helm/releases/${release.id}/revisions`)).body as unknown[]).length;

beforeAll(async () => {
  for (const version of ["1.0.0", "1.1.0"]) {
    const res = await api("POST", "/helm/charts", { body: { name: chartName, version, appVersion: version, defaultValues: { replicaCount: 1 } } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  const tenant = await tenantBySlug("acme-dev");
  const installed = await api("POST", "/helm/releases", { body: { tenantId: tenant.id, name: `h-${suffix}`, namespace: "hostile", chartName, chartVersion: "1.0.0" } });
  expect(installed.status, JSON.stringify(installed.body)).toBe(201);
  release = installed.body.release;
  tenantAdmin = (await tokenFor("tenant-admin", tenant.id)).token;
});

describe("NUL and lone surrogates", () => {
  it("are refused in a REST body with 422 and the field's path, before anything is stored", async () => {
    const before = await revisionCount();
    for (const [valuesOverride, path] of [
      [{ image: { tag: "1.0\u0000" } }, "valuesOverride.image.tag"],
      [{ list: ["ok", "\ud800"] }, "valuesOverride.list.1"],
      [{ "bad\u0000key": 1 }, "valuesOverride.bad\u0000key"],
    ] as const) {
      const res = await api("POST", `/helm/releases/${release.id}/upgrade`, { token: tenantAdmin, body: { chartVersion: "1.1.0", valuesOverride } });
      expect(res.status, JSON.stringify(res.body)).toBe(422);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(res.body.errors).toEqual([{ path, message: expect.stringMatching(/NUL|surrogate/) }]);
    }
    const description = await api("POST", `/helm/releases/${release.id}/upgrade`, { token: tenantAdmin, body: { chartVersion: "1.1.0", description: "x\udfff" } });
    expect(description.status).toBe(422);
    expect(description.body.errors).toEqual([{ path: "description", message: expect.stringMatching(/surrogate/) }]);
    expect(await revisionCount()).toBe(before);
  });

  it("are refused in a tRPC mutation with 422 (UNPROCESSABLE_CONTENT) and in a tRPC query with 400", async () => {
    const before = await revisionCount();
    const upgrade = await trpc("mutation", "releases.upgrade", { releaseId: release.id, chartVersion: "1.1.0", valuesOverride: { a: "\u0000" } }, { token: tenantAdmin });
    expect(upgrade.status).toBe(422);
    expect(upgrade.error).toMatchObject({ data: { code: "UNPROCESSABLE_CONTENT", errors: [{ path: "valuesOverride.a", message: expect.stringMatching(/NUL/) }] } });
    const list = await trpc("query", "releases.list", { q: "\ud800" }, { token: tenantAdmin });
    expect(list.status).toBe(400);
    expect(list.error).toMatchObject({ data: { code: "BAD_REQUEST", errors: [{ path: "q", message: expect.stringMatching(/surrogate/) }] } });
    const audit = await trpc("query", "audit.list", { action: "x\u0000" });
    expect(audit.status).toBe(400);
    expect(await revisionCount()).toBe(before);
  });

  it("are refused in query parameters and path segments with 400", async () => {
    for (const path of [
      "/helm/releases?q=%00",
      "/helm/releases?tenant=acme%00",
      "/audit?action=release%00",
      `/helm/releases/chart/${chartName}/needs-upgrade?targetVersion=1.1.0&tenant=%00`,
      "/helm/charts/x%00y/versions",
      "/helm/releases/chart/x%00y/versions",
    ]) {
      const res = await api("GET", path);
      expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.errors?.[0]?.message, path).toMatch(/NUL/);
    }
    const batch = await api("POST", `/helm/releases/chart/${chartName}/batch-upgrade?targetVersion=1.1.0&dryRun=true&tenant=a%00`);
    expect(batch.status).toBe(400);
  });

  it("never reach the upgrade plans, previews or lists of the tenant afterwards", async () => {
    const plan = await api("GET", `/helm/releases/${release.id}/upgrade-plan?targetVersion=1.1.0`, { token: tenantAdmin });
    expect(plan.status, JSON.stringify(plan.body)).toBe(200);
    const preview = await api("POST", `/helm/releases/chart/${chartName}/batch-upgrade?targetVersion=1.1.0&dryRun=true`);
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
  });
});

describe("cursors", () => {
  it("answer 400 for a well-formed cursor carrying an impossible timestamp", async () => {
    const forged = Buffer.from(JSON.stringify(["2024-13-45 99:99:99+00", "00000000-0000-4000-8000-000000000000"])).toString("base64url");
    for (const path of [`/helm/releases?limit=1&cursor=${forged}`, `/helm/batches?limit=1&cursor=${forged}`]) {
      const res = await api("GET", path);
      expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(400);
    }
    const sequence = Buffer.from(JSON.stringify([1e300])).toString("base64url");
    expect((await api("GET", `/audit?limit=1&cursor=${sequence}`)).status).toBe(400);
    const list = await trpc("query", "releases.list", { limit: 1, cursor: forged });
    expect(list.status).toBe(400);
  });
});

describe("body size on every face", () => {
  const bigValues = { blob: "x".repeat(8 * 1024 * 1024) };

  it("refuses an 8 MiB valuesOverride through tRPC with 413, as REST does, and stores nothing", async () => {
    const before = await revisionCount();
    const viaTrpc = await trpc("mutation", "releases.upgrade", { releaseId: release.id, chartVersion: "1.1.0", valuesOverride: bigValues }, { token: tenantAdmin });
    expect(viaTrpc.status).toBe(413);
    expect(viaTrpc.error).toMatchObject({ data: { code: "PAYLOAD_TOO_LARGE", httpStatus: 413 } });
    const viaRest = await api("POST", `/helm/releases/${release.id}/upgrade`, { token: tenantAdmin, body: { chartVersion: "1.1.0", valuesOverride: bigValues } });
    expect(viaRest.status).toBe(413);
    expect(await revisionCount()).toBe(before);
  });

  it("refuses a tRPC body streamed without Content-Length once it passes 1 MiB", async () => {
    // A connection of its own: the server stops reading this body, which ends the connection.
    const url = new URL(`${baseUrl()}/api/trpc/releases.upgrade`);
    const total = 64 * 1024 * 1024;
    let sent = 0;
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve) => {
      let answered = false;
      const req = request(url, { method: "POST", agent: false, headers: { Authorization: `Bearer ${tenantAdmin}`, "Content-Type": "application/json", "Transfer-Encoding": "chunked" } }, (res) => {
        answered = true;
        let text = "";
        const done = () => resolve({ status: res.statusCode ?? 0, body: text });
        res.on("data", (d) => (text += d));
        res.on("end", done);
        // The server may hang up on the body we are still sending before its answer is read to the end.
        res.on("aborted", done);
        res.on("error", done);
      });
      // The server hangs up on the rest of the body. Its reset can reach this socket before
      // the 413 is read (the kernel then drops the unread answer): a hang-up with no answer.
      req.on("error", () => answered || resolve({ status: 0, body: "" }));
      const chunk = Buffer.alloc(64 * 1024, 32);
      const pump = () => {
        while (sent < total && !req.destroyed) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once("drain", pump);
        }
        req.end();
      };
      pump();
    });
    if (status === 0) expect(sent, "a hang-up without an answer must come before the whole body was read").toBeLessThan(total);
    else expect(status).toBe(413);
    if (body.endsWith("}")) expect(JSON.parse(body).error.data).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
    expect((await api("GET", "/helm/charts")).status, "the server still answers").toBe(200);
  });

  it("refuses values nested deeper than 32 levels through tRPC", async () => {
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = { d: deep };
    const res = await trpc("mutation", "releases.upgrade", { releaseId: release.id, chartVersion: "1.1.0", valuesOverride: deep }, { token: tenantAdmin });
    expect(res.status).toBe(422);
  });
});

/** One answer, redirects not followed, with every header as sent; the path as given (a URL would turn `\` into `/`). */
const raw = (path: string, { signedIn = true, method = "GET" } = {}) =>
  new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const { hostname, port } = new URL(baseUrl());
    const req = request({ hostname, port, path, method, agent: false, headers: signedIn ? { Authorization: `Bearer ${tenantAdmin}` } : {} }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });

describe("trailing slashes", () => {
  it("redirect 308 to the path without them, with the query", async () => {
    const api = await raw(`/api/v1/helm/charts/?q=${chartName}`);
    expect(api.status).toBe(308);
    expect(api.headers.location).toBe(`/api/v1/helm/charts?q=${chartName}`);
    const page = await raw("/releases/");
    expect(page.status).toBe(308);
    expect(page.headers.location).toBe("/releases");
  });

  it("answer 414 problem+json instead of echoing a query longer than 4 KiB, which a client could not read back", async () => {
    const long = "y".repeat(2500);
    const res = await raw(`/api/v1/tenants/?limit=${long}&cursor=${long}`);
    expect(res.status).toBe(414);
    expect(res.headers["content-type"]).toBe("application/problem+json");
    expect(res.headers.location).toBeUndefined();
    expect(JSON.parse(res.body)).toMatchObject({ status: 414, title: "URI too long" });
  });
});

describe("repeated slashes and backslashes", () => {
  // Next answers them itself, before src/proxy.ts, echoing the URL in Location and Refresh.
  it("redirect 308 to the path made clean, as Next does", async () => {
    const res = await raw(`/api/v1/helm//charts?q=${chartName}`);
    expect(res.status).toBe(308);
    expect(res.headers.location).toBe(`/api/v1/helm/charts?q=${chartName}`);
  });

  it("answer 414 problem+json instead of echoing a query longer than 4 KiB, which a client could not read back", async () => {
    const long = "y".repeat(6000);
    for (const path of [`/api/v1/helm/batches//pause?cursor=${long}`, `/api/v1/helm\\charts?q=${long}`, `//releases?tenant=${long}`]) {
      const res = await raw(path);
      expect(res.status, path.slice(0, 40)).toBe(414);
      expect(res.headers["content-type"]).toBe("application/problem+json");
      expect(res.headers.location).toBeUndefined();
      expect(JSON.parse(res.body)).toMatchObject({ status: 414, title: "URI too long" });
    }
  });
});

describe("a page's Link header", () => {
  it("repeats the parameters the list understood, not 15 KiB of one it ignored, which a client could not read back", async () => {
    const res = await raw(`/api/v1/helm/releases?limit=1&namespace=hostile&junk=${"j".repeat(15_000)}&status=DEPLOYED`);
    expect(res.status, res.body.slice(0, 200)).toBe(200);
    const link = String(res.headers.link);
    expect(link).toMatch(/^<\/api\/v1\/helm\/releases\?limit=1&status=DEPLOYED&cursor=[^>&]+>; rel="next"$/);
  });
});

describe("the sign-in redirect of a page", () => {
  it("comes back to the page without a query too long to echo, rather than with one no client could read back", async () => {
    const short = await raw("/releases?tenant=acme", { signedIn: false });
    expect(short.status).toBe(307);
    expect(short.headers.location).toBe(`/sign-in?callbackUrl=${encodeURIComponent("/releases?tenant=acme")}`);
    // Each % is sent as %25 in the callback: 13.5 KiB of query would become 22 KiB of Location.
    const long = await raw(`/releases?tenant=${"%25".repeat(4_500)}`, { signedIn: false });
    expect(long.status).toBe(307);
    expect(long.headers.location).toBe(`/sign-in?callbackUrl=${encodeURIComponent("/releases")}`);
  });
});

describe("what Next would answer itself", () => {
  it("a method no route serves is 405 problem+json with Allow, not a bare 400 or (TRACE) a 500", async () => {
    for (const method of ["PROPFIND", "TRACE", "MKCOL"]) {
      for (const path of ["/api/v1/tenants", "/releases"]) {
        const res = await raw(path, { method });
        expect(res.status, `${method} ${path}`).toBe(405);
        expect(res.headers["content-type"]).toBe("application/problem+json");
        expect(res.headers.allow).toBe("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS");
        expect(JSON.parse(res.body)).toMatchObject({ status: 405, title: "Method not allowed" });
      }
    }
  });

  it("an unknown path anywhere under /api is 404 problem+json, not an HTML page", async () => {
    for (const path of ["/api", "/api/v1", "/api/v2/tenants", "/api/nope", "/api/v1/nope/deeper"]) {
      const res = await raw(path);
      expect(res.status, path).toBe(404);
      expect(res.headers["content-type"], path).toBe("application/problem+json");
      expect(JSON.parse(res.body)).toMatchObject({ status: 404, detail: `no such endpoint: GET ${path}` });
    }
  });
});
