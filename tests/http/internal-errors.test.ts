import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "../helpers/databases";
import { jsonLogLines, serverApi, signInAt } from "../helpers/own-server";
import { startServer, type ServerProcess } from "../helpers/server-process";

const MARKER = `tenant-value-${randomBytes(6).toString("hex")}`;
const INTERNAL_ANSWER_KEYS = ["detail", "requestId", "status", "title", "type"];

/**
 * Failures nobody anticipated, made real from outside the app: triggers in the app's own
 * PostgreSQL database raise an error on chosen inserts, as a broken constraint, a full disk
 * or a bug in a query would. Whatever fails, the answer says "internal error" and the request
 * id, and the log keeps the error without its SQL parameters (tenants' values).
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)("internal errors on a real server [postgres]", () => {
  let database: TestDatabase;
  let server: ServerProcess;
  let call: ReturnType<typeof serverApi>;
  let releaseId: string;

  beforeAll(async () => {
    database = await openTestDatabase("postgres");
    server = await startServer({ DATABASE_URL: database.url!, HELMDECK_DEMO: "0", HELMDECK_LOG_LEVEL: "info", HELMDECK_LOG_FORMAT: "json" });
    call = serverApi(server.url, server.token);
    const chartName = `fault-app-${randomBytes(3).toString("hex")}`;
    for (const version of ["1.0.0", "1.1.0"]) {
      expect((await call("POST", "/api/v1/helm/charts", { body: { name: chartName, version, appVersion: version, defaultValues: { replicaCount: 1 } } })).status).toBe(201);
    }
    const tenant = await call("POST", "/api/v1/tenants", { body: { slug: `fault-${randomBytes(3).toString("hex")}`, name: "Fault", environment: "development" } });
    const installed = await call("POST", "/api/v1/helm/releases", { body: { tenantId: tenant.body.id, name: "web", namespace: "apps", chartName, chartVersion: "1.0.0" } });
    releaseId = installed.body.release.id;
    const { db } = database;
    await db.execute(sql`create function test_injected_fault() returns trigger language plpgsql as $$ begin raise exception 'injected fault'; end $$`);
    await db.execute(sql`create trigger test_fault_revision before insert on revisions for each row when (new.description like 'fault%') execute function test_injected_fault()`);
    await db.execute(sql`create trigger test_fault_sign_in before insert on login_attempts for each row when (new.email like 'fault%') execute function test_injected_fault()`);
  });

  afterAll(async () => {
    await server?.stop();
    await database?.close();
  });

  const upgradeBody = (description: string, note: string = MARKER) => ({ chartVersion: "1.1.0", description, valuesOverride: { note } });

  it("REST: a 500 carries only 'internal error' and the request id; the log has the error's class, code and SQL text, not its parameters", async () => {
    const id = `fault-rest-${randomBytes(4).toString("hex")}`;
    const res = await call("POST", `/api/v1/helm/releases/${releaseId}/upgrade`, { body: upgradeBody("fault via REST"), headers: { "x-request-id": id } });
    expect(res.status).toBe(500);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.headers.get("x-request-id")).toBe(id);
    expect(res.body).toEqual({ type: "about:blank", title: "Internal Server Error", status: 500, detail: "internal error", requestId: id });

    await expect.poll(() => jsonLogLines(server.output()).find((l) => l.requestId === id && l.msg === "unhandled error")).toBeDefined();
    const logged = jsonLogLines(server.output()).find((l) => l.requestId === id && l.msg === "unhandled error")!;
    expect(logged.level).toBe(50);
    expect(logged.err).toMatchObject({ type: "DrizzleQueryError", cause: { type: "PostgresError", code: "P0001" } });
    expect(logged.err.sql).toContain('insert into "revisions"');
    expect(jsonLogLines(server.output()).find((l) => l.requestId === id && l.msg === "request")).toMatchObject({ status: 500, route: "/api/v1/helm/releases/:releaseId/upgrade" });
    expect(server.output()).not.toContain(MARKER);
  });

  it("tRPC: a 500 carries only 'internal error' and the request id, no SQL", async () => {
    const id = `fault-trpc-${randomBytes(4).toString("hex")}`;
    const res = await call("POST", "/api/trpc/releases.upgrade", { body: { releaseId, ...upgradeBody("fault via tRPC") }, headers: { "x-request-id": id } });
    expect(res.status).toBe(500);
    expect(res.headers.get("x-request-id")).toBe(id);
    expect(res.body.error).toMatchObject({ message: "internal error", data: { code: "INTERNAL_SERVER_ERROR", httpStatus: 500, requestId: id } });
    expect(res.body.error.data.stack).toBeUndefined();
    for (const leak of ["insert", "revisions", "params", MARKER, "injected fault"]) expect(res.text).not.toContain(leak);
    await expect.poll(() => jsonLogLines(server.output()).find((l) => l.requestId === id && l.msg === "unhandled error")).toMatchObject({ procedure: "releases.upgrade" });
    expect(server.output()).not.toContain(MARKER);
  });

  it("a failing request with a large body logs a few hundred bytes, not its values", async () => {
    const before = server.output().length;
    const big = `${MARKER}-${"v".repeat(600_000)}`;
    const res = await call("POST", `/api/v1/helm/releases/${releaseId}/upgrade`, { body: upgradeBody("fault with a large body", big) });
    expect(res.status).toBe(500);
    expect(Object.keys(res.body).sort()).toEqual(INTERNAL_ANSWER_KEYS);
    await expect.poll(() => jsonLogLines(server.output().slice(before)).some((l) => l.msg === "request" && l.status === 500)).toBe(true);
    expect(server.output().length - before).toBeLessThan(8_000);
  });

  it("sign-in: the error in next-auth's redirect URL says 'internal error' and the request id, never SQL", async () => {
    const password = `pw-${MARKER}`;
    const result = await signInAt(server.url, "fault@ops.test", password);
    expect(result.error).toMatch(/^internal error \(request [0-9a-f-]{36}\)$/);
    for (const leak of ["insert", "login_attempts", "params", "injected"]) expect(result.url).not.toContain(leak);
    const requestId = /request ([0-9a-f-]{36})/.exec(result.error!)![1];
    await expect.poll(() => jsonLogLines(server.output()).find((l) => l.requestId === requestId && l.msg === "sign-in failed")).toMatchObject({ err: { cause: { code: "P0001" } } });
    expect(server.output()).not.toContain(password);
  });
});
