/**
 * Thousands of generated bad requests across every REST route (read from the served OpenAPI
 * document) and every tRPC procedure (read from the router), against a real server on a
 * fresh PostgreSQL database: not one 5xx, and not one row changed anywhere.
 *
 * Every request that could change something carries something that must be refused: a
 * string no database stores, a forged id, a body of the wrong kind, depth or size. Reads
 * get any hostile query. Routes added later are covered without editing this file.
 */
import { randomBytes } from "node:crypto";
import { request } from "node:http";
import fc from "fast-check";
import type { Sql } from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appRouter } from "@/server/api/root";
import { startServer, type ServerProcess } from "../helpers/server-process";

const REQUESTS = Number(process.env.HELMDECK_FUZZ_REQUESTS ?? 5000);
const adminUrl = process.env.TEST_DATABASE_URL;

type Route = { face: "rest"; method: string; path: string; query: string[]; hasBody: boolean } | { face: "trpc"; path: string; type: string };
type Fuzzed = { method: string; url: string; headers: Record<string, string>; body?: string | Uint8Array; label: string };

// ---- hostile values -------------------------------------------------------------------

const unsafeText = fc.oneof(
  fc.string({ maxLength: 20 }).map((s) => `${s}\u0000${s}`),
  fc.constantFrom("\ud800", "\udfff", "a\udc00b", "tag\ud83d", "\u0000"),
  fc.tuple(fc.string({ maxLength: 8 }), fc.integer({ min: 0xd800, max: 0xdfff })).map(([s, c]) => `${s}${String.fromCharCode(c)}`),
);
const impossibleTimestamps = ["2024-13-45 99:99:99+00", "2023-02-29 00:00:00Z", "9999-99-99T99:99:99Z", "0000-00-00 00:00:00"];
const forgedCursor = fc.oneof(
  fc.tuple(fc.constantFrom(...impossibleTimestamps), fc.uuid()).map((t) => Buffer.from(JSON.stringify(t)).toString("base64url")),
  fc.jsonValue({ maxDepth: 2 }).map((v) => Buffer.from(JSON.stringify(v)).toString("base64url")),
  fc.constantFrom([1e300], ["\u0000", "00000000-0000-4000-8000-000000000000"], [-1]).map((v) => Buffer.from(JSON.stringify(v)).toString("base64url")),
  fc.string({ maxLength: 40 }),
);
const forgedId = fc.oneof(fc.uuid(), fc.constantFrom("not-a-uuid", "00000000-0000-0000-0000-000000000000", "..", "%2e%2e", "1", "-1", "null", "x".repeat(300)));
const oddText = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 30 }),
  fc.string({ unit: "binary", maxLength: 30 }),
  fc.constantFrom("\u202eevil", "ﷺ", "𝕳𝖊𝖑𝖒", "e\u0301", "🚀".repeat(50), " ", "", "1e309", "-0", "9007199254740993", "NaN", "true", "[]", "{}"),
  fc.constant("y".repeat(5000)),
);
const wrongType = fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }), fc.object({ maxDepth: 1 }));
const hostileScalar = fc.oneof(unsafeText, oddText, forgedId, forgedCursor);
const hostileValue = fc.oneof(hostileScalar, wrongType);

const deep = (levels: number) => {
  let v: unknown = "leaf";
  for (let i = 0; i < levels; i++) v = i % 2 ? [v] : { d: v };
  return v;
};
/** Nesting as JSON text, built without recursion: 5000 levels would overflow a stringify. */
const deepText = (levels: number) => `${'{"d":['.repeat(levels)}"leaf"${"]}".repeat(levels)}`;
const oversized = `{"valuesOverride":{"blob":"${"z".repeat(1024 * 1024)}"}}`;

/** An object of fields the contracts use (and some they do not), with at least one unsafe string somewhere. */
const unsafeObject = (fieldNames: string[]) =>
  fc
    .tuple(
      fc.dictionary(fc.oneof(fc.constantFrom(...fieldNames), fc.string({ maxLength: 10 })), hostileValue, { maxKeys: 6 }),
      fc.oneof(fc.constantFrom(...fieldNames), fc.string({ maxLength: 10 })),
      unsafeText,
      fc.boolean(),
    )
    .map(([fields, at, bad, nested]) => ({ ...fields, [at]: nested ? { inner: [1, { bad }] } : bad }));

/** A JSON body (or not) that must be refused whatever the route does with it. */
const refusedBody = (fieldNames: string[]) =>
  fc.oneof(
    { weight: 12, arbitrary: unsafeObject(fieldNames).map((o) => ({ text: JSON.stringify(o), type: "application/json" })) },
    { weight: 2, arbitrary: fc.constantFrom('{"a":', "{'a':1}", "[1,2", "\u0000", "nul\u0000l").map((text) => ({ text, type: "application/json" })) },
    { weight: 2, arbitrary: fc.constantFrom(deepText(20), deepText(5000)).map((text) => ({ text, type: "application/json" })) },
    { weight: 2, arbitrary: unsafeText.map((s) => ({ text: JSON.stringify([s]), type: "application/json" })) },
    { weight: 1, arbitrary: fc.string({ maxLength: 50 }).map((text) => ({ text, type: "text/plain" })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ text: bytes, type: "application/gzip" })) },
    { weight: 1, arbitrary: fc.constant({ text: oversized, type: "application/json" }) },
  );

// ---- requests ---------------------------------------------------------------------------

/** Percent-encodes like encodeURIComponent, but sends a lone surrogate as the invalid UTF-8 a hostile client can send. */
const encodeHostile = (text: string) =>
  text.replace(/[\s\S]/gu, (ch) => {
    const unit = ch.charCodeAt(0);
    if (ch.length === 1 && unit >= 0xd800 && unit <= 0xdfff) return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join("");
    return encodeURIComponent(ch);
  });

function restRequest(route: Extract<Route, { face: "rest" }>, fieldNames: string[], realIds: string[]): fc.Arbitrary<Fuzzed> {
  const changes = route.method !== "GET";
  const params = route.path.match(/\{(\w+)\}/g) ?? [];
  // Reads may name real resources; anything that could change one names a forged one.
  const segment = changes || route.path.endsWith("/events") ? fc.oneof(forgedId, unsafeText, oddText) : fc.oneof(forgedId, unsafeText, oddText, fc.constantFrom(...realIds));
  const queryNames = [...route.query, "limit", "cursor", "tenant", "q"];
  const query = fc.array(fc.tuple(fc.constantFrom(...queryNames), fc.oneof(hostileScalar, fc.integer().map(String))), { maxLength: 4 });
  // No body at all only where a forged path segment already makes the request fail.
  const body = !(route.hasBody || changes) ? fc.constant(undefined) : params.length > 0 ? fc.option(refusedBody(fieldNames), { nil: undefined, freq: 6 }) : refusedBody(fieldNames);
  return fc.record({ segments: fc.tuple(...params.map(() => segment)), query, body, key: fc.option(fc.string({ minLength: 1, maxLength: 20 }).filter((k) => /^[\x21-\x7e]+$/.test(k)), { nil: undefined }) }).map(({ segments, query: q, body: b, key }) => {
    let path = route.path;
    params.forEach((p, i) => (path = path.replace(p, encodeHostile(String(segments[i])))));
    const search = q.map(([k, v]) => `${encodeHostile(k)}=${encodeHostile(String(v))}`).join("&");
    const headers: Record<string, string> = {};
    if (b) headers["Content-Type"] = b.type;
    if (key && route.method === "POST") headers["Idempotency-Key"] = key;
    return { method: route.method, url: `/api/v1${path}${search ? `?${search}` : ""}`, headers, body: b?.text, label: `${route.method} ${route.path}` };
  });
}

function trpcRequest(route: Extract<Route, { face: "trpc" }>, fieldNames: string[]): fc.Arbitrary<Fuzzed> {
  const label = `trpc ${route.type} ${route.path}`;
  if (route.type === "mutation") {
    return refusedBody(fieldNames).map((b) => ({ method: "POST", url: `/api/trpc/${route.path}`, headers: { "Content-Type": b.type }, body: b.text, label }));
  }
  const input = fc.oneof(unsafeObject(fieldNames), fc.dictionary(fc.constantFrom(...fieldNames), hostileValue, { maxKeys: 5 }), hostileValue, fc.constant(deep(40)));
  return input.map((v) => ({ method: "GET", url: `/api/trpc/${route.path}?input=${encodeHostile(JSON.stringify(v) ?? "null")}`, headers: {}, label }));
}

// ---- the server and its database ---------------------------------------------------------

/**
 * One request over node:http, its status once the answer has been read (or, for an event
 * stream, once it started). Not fetch: the http project's contract recorder checks every
 * fetch against the OpenAPI document, and what a hostile URL should look like to it is not
 * this test's question (5xx and state are).
 */
/** The status recorded for a request whose oversized body the server refused by closing the connection. */
const HUNG_UP = 499;

function rawRequest(url: string, method: string, headers: Record<string, string>, body?: string | Uint8Array): Promise<number> {
  return new Promise((resolve, reject) => {
    // A connection per request: a refused body may leave a kept-alive one closed under the next.
    // Node sends a DELETE's body with neither Content-Length nor chunking unless told: the
    // server would read the body as a second, malformed request.
    const length = body === undefined ? {} : { "Content-Length": String(Buffer.byteLength(body)) };
    const req = request(url, { method, headers: { ...headers, ...length }, timeout: 30_000, agent: false }, (res) => {
      const status = res.statusCode ?? 0;
      if (res.headers["content-type"]?.includes("text/event-stream")) {
        res.destroy();
        return resolve(status);
      }
      res.resume();
      res.on("end", () => resolve(status));
      res.on("aborted", () => resolve(status));
      res.on("error", () => resolve(status));
    });
    req.on("timeout", () => req.destroy(new Error(`no answer in 30 s: ${method} ${url.slice(0, 200)}`)));
    req.on("error", (e: NodeJS.ErrnoException) => {
      // A server may refuse a large body without reading it and hang up while it is still
      // being sent (a 400 for the URL, a 413): that is a refusal, not a failure. A crash would
      // show in the next request (refused connection) and in the state check.
      const hungUp = e.code === "ECONNRESET" || e.code === "EPIPE";
      if (hungUp && body !== undefined && body.length > 64 * 1024) resolve(HUNG_UP);
      else reject(e);
    });
    req.end(body === undefined ? undefined : Buffer.from(body));
  });
}

let server: ServerProcess | undefined;
let sql: Sql | undefined;
let admin: Sql | undefined;
let database: string | undefined;

/** Row count of every table, and the content of those that a change would edit in place. */
async function snapshot(db: Sql): Promise<Record<string, string>> {
  const tables = await db<{ name: string }[]>`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`;
  const state: Record<string, string> = {};
  for (const { name } of tables) {
    // api_tokens.last_used_at is bookkeeping of authentication, not a state change.
    const columns = name === "api_tokens" ? "id, name, token_hash, role, tenant_id, revoked_at, expires_at" : "*";
    const [row] = await db.unsafe(`select count(*)::int as n, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h from (select ${columns} from "${name}") t`);
    state[name] = `${row!.n} rows, ${row!.h}`;
  }
  return state;
}

async function waitUntilIdle(db: Sql) {
  for (let i = 0; i < 600; i++) {
    const [busy] = await db`select count(*)::int as n from batches where status in ('QUEUED', 'RUNNING')`;
    if (busy!.n === 0) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("demo batches never settled");
}

describe.skipIf(!adminUrl)("fuzzing every route and procedure with bad requests [postgres]", () => {
  beforeAll(async () => {
    const { default: postgres } = await import("postgres");
    admin = postgres(adminUrl!, { max: 1, onnotice: () => {} });
    database = `helmdeck_fuzz_${randomBytes(6).toString("hex")}`;
    await admin.unsafe(`create database ${database}`);
    const url = new URL(adminUrl!);
    url.pathname = `/${database}`;
    server = await startServer({ DATABASE_URL: url.toString(), HELMDECK_DEMO: "1" });
    sql = postgres(url.toString(), { max: 2, onnotice: () => {} });
    await waitUntilIdle(sql);
  });

  afterAll(async () => {
    await server?.stop();
    await sql?.end({ timeout: 5 });
    if (database) await admin?.unsafe(`drop database if exists ${database} with (force)`);
    await admin?.end({ timeout: 5 });
  });

  it(`answers ${REQUESTS} bad requests without a 5xx and without changing a row`, async () => {
    const openapi = (await (await fetch(`${server!.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string }[]; requestBody?: unknown }>>;
    };
    const routes: Route[] = [];
    for (const [path, item] of Object.entries(openapi.paths)) {
      for (const [method, op] of Object.entries(item)) {
        if (!["get", "post", "put", "patch", "delete"].includes(method)) continue;
        routes.push({ face: "rest", method: method.toUpperCase(), path, query: (op.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name), hasBody: op.requestBody !== undefined });
      }
    }
    const procedures = (appRouter as unknown as { _def: { procedures: Record<string, { _def: { type: string } }> } })._def.procedures;
    for (const [path, procedure] of Object.entries(procedures)) routes.push({ face: "trpc", path, type: procedure._def.type });
    expect(routes.filter((r) => r.face === "rest").length).toBeGreaterThan(20);
    expect(routes.filter((r) => r.face === "trpc").length).toBeGreaterThan(20);

    // Field names the contracts use, so that generated bodies reach past "unknown field".
    const fieldNames = new Set(["releaseId", "batchId", "tenantId", "chartName", "version", "limit", "cursor", "id", "input"]);
    JSON.stringify(openapi, (key, value) => {
      if (key === "properties" && value && typeof value === "object") for (const name of Object.keys(value)) fieldNames.add(name);
      return value;
    });
    const realIds = (await sql!<{ id: string }[]>`select id::text from releases limit 5`).map((r) => r.id);
    const requestFor = (route: Route) => (route.face === "rest" ? restRequest(route, [...fieldNames], realIds) : trpcRequest(route, [...fieldNames]));

    const before = await snapshot(sql!);
    if (process.env.HELMDECK_FUZZ_PROGRESS) console.log(`fuzz: ${routes.length} routes, snapshot taken`);
    const statuses = new Map<string, Set<number>>();
    const failures: string[] = [];
    let sent = 0;
    const send = async (r: Fuzzed) => {
      const status = await rawRequest(`${server!.url}${r.url}`, r.method, { Authorization: `Bearer ${server!.token}`, ...r.headers }, r.body);
      sent++;
      if (process.env.HELMDECK_FUZZ_PROGRESS && sent % 500 === 0) console.log(`fuzz: ${sent} sent, last ${r.label} → ${status}`);
      statuses.set(r.label, (statuses.get(r.label) ?? new Set()).add(status));
      if (status >= 500) failures.push(`${status} ${r.method} ${r.url.slice(0, 300)}`);
      return status < 500;
    };

    // Every route at least a few times, then at random.
    for (const route of routes) for (const r of fc.sample(requestFor(route), 3)) await send(r);
    const seed = Number(process.env.HELMDECK_FUZZ_SEED ?? Date.now() % 2 ** 31);
    const remaining = Math.max(0, REQUESTS - sent);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes).chain(requestFor),
        async (r) => send(r),
      ),
      { numRuns: remaining, seed, endOnFailure: true },
    ).catch((e: unknown) => {
      // fast-check keeps the property's own error as the cause, out of its message.
      const cause = e instanceof Error && e.cause !== undefined ? `\ncaused by: ${e.cause instanceof Error ? e.cause.message : String(e.cause)}` : "";
      failures.push(`fast-check (seed ${seed}): ${(e instanceof Error ? e.message : String(e)).replace(/(.)\1{40,}/g, "$1…").slice(0, 3000)}${cause.slice(0, 500)}`);
    });

    if (failures.length > 0) console.error(`server output (end):\n${server!.output().slice(-6000)}`);
    expect(failures, failures.slice(0, 20).join("\n")).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(REQUESTS);
    for (const route of routes) {
      const label = route.face === "rest" ? `${route.method} ${route.path}` : `trpc ${route.type} ${route.path}`;
      expect(statuses.get(label)?.size, label).toBeGreaterThan(0);
    }
    expect(await snapshot(sql!)).toEqual(before);
  }, 900_000);
});
