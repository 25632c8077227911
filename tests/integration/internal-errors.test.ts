import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import type { DeployDriver } from "@/server/deploy/driver";
import { upgradeRelease } from "@/server/domain/releases/upgrade-release";
import { describeError } from "@/server/observability/describe-error";
import { describeEachDatabase } from "../helpers/databases";
import { contextFor, givenChart, givenRelease, givenTenant } from "../helpers/fixtures";

const MARKER = "tenant-secret-9f31c";

const failureOf = async (promise: Promise<unknown>) => promise.then(() => expect.unreachable("the statement should fail"), (e: unknown) => e);

/** Deploy drivers at the outer edge, standing in for helm: one that throws, one that reports a failure. */
const throwingDriver: DeployDriver = {
  name: "fake-throwing",
  apply: async () => {
    throw new Error(`Failed query: select "values" from "revisions" where "id" = $1\nparams: ${MARKER}`);
  },
};
const reportingDriver: DeployDriver = { name: "fake-helm", apply: async () => ({ ok: false, error: "Error: UPGRADE FAILED: timed out waiting for the condition" }) };

describeEachDatabase("internal errors never carry values", (getDb) => {
  it("a failing statement is summarised by class, SQLSTATE and SQL text, without its parameters or the values its message quotes", async () => {
    const { db } = getDb();
    await db.execute(sql`create table if not exists fault_probe (v text check (v <> ${sql.raw(`'${MARKER}'`)}))`);
    await db.execute(sql`create or replace function fault_raise(v text) returns void language plpgsql as $$ begin raise exception 'bad value %', v; end $$`);
    const cases = [
      { error: await failureOf(db.execute(sql`insert into fault_probe (v) values (${MARKER})`)), code: "23514", sql: "insert into fault_probe" },
      { error: await failureOf(db.execute(sql`select ${MARKER}::uuid`)), code: "22P02", sql: "::uuid" },
      { error: await failureOf(db.execute(sql`select fault_raise(${MARKER})`)), code: "P0001", sql: "fault_raise" },
    ];
    for (const { error, code, sql: text } of cases) {
      // The raw error does hold the value: this is what a careless log line would write.
      expect(`${(error as Error).message} ${JSON.stringify((error as { cause?: unknown }).cause ?? {})}`).toContain(MARKER);
      const summary = describeError(error);
      expect(JSON.stringify(summary)).not.toContain(MARKER);
      expect(summary.sql).toContain(text);
      const codes = [summary.code, summary.cause?.code];
      expect(codes).toContain(code);
    }
  });

  it("a long statement is cut, and a constraint is named", async () => {
    const { db } = getDb();
    const error = await failureOf(db.execute(sql`insert into fault_probe (v) select ${MARKER} where ${sql.raw(`'${"x".repeat(2000)}'`)} <> ''`));
    const summary = describeError(error);
    expect(summary.sql!.length).toBeLessThan(400);
    expect(JSON.stringify(summary)).toContain("fault_probe_v_check");
  });

  it("a driver that throws leaves a FAILED revision saying only that it failed internally, with the request id", async () => {
    const { db } = getDb();
    const tenant = await givenTenant(db);
    const chart = await givenChart(db, [{ version: "1.0.0" }, { version: "1.1.0" }]);
    const release = await givenRelease(db, { tenantId: tenant.id, chartName: chart, chartVersion: "1.0.0" });
    const { revision } = await upgradeRelease({ ctx: contextFor(db, undefined, throwingDriver), input: { releaseId: release.id, chartVersion: "1.1.0", valuesStrategy: "reset-then-reuse", atomic: false, acknowledgeBreakingChanges: false } });
    expect(revision.status).toBe("FAILED");
    expect(revision.error).toBe("deploy driver fake-throwing failed: internal error (request test)");
  });

  it("a failure the driver reports (helm's stderr) is kept as the revision's error", async () => {
    const { db } = getDb();
    const tenant = await givenTenant(db);
    const chart = await givenChart(db, [{ version: "1.0.0" }, { version: "1.1.0" }]);
    const release = await givenRelease(db, { tenantId: tenant.id, chartName: chart, chartVersion: "1.0.0" });
    const { revision } = await upgradeRelease({ ctx: contextFor(db, undefined, reportingDriver), input: { releaseId: release.id, chartVersion: "1.1.0", valuesStrategy: "reset-then-reuse", atomic: false, acknowledgeBreakingChanges: false } });
    expect(revision).toMatchObject({ status: "FAILED", error: "Error: UPGRADE FAILED: timed out waiting for the condition" });
  });
});
