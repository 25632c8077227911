import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { releases } from "@/server/db/schema";
import { createHelmDriver } from "@/server/deploy/helm-driver";
import { installRelease } from "@/server/domain/releases/install-release";
import { rollbackRelease } from "@/server/domain/releases/rollback-release";
import { upgradeRelease } from "@/server/domain/releases/upgrade-release";
import { describeEachDatabase } from "../helpers/databases";
import { contextFor, givenChart, givenTenant, unique } from "../helpers/fixtures";

/**
 * A FAKE helm executable (the only fake in the suite, at the outer edge): it records its
 * command line and the values file it was given, and fails when FAKE_HELM_FAIL is in the
 * values, the way a real helm fails a timed-out --wait.
 */
function fakeHelm() {
  const dir = mkdtempSync(path.join(tmpdir(), "fake-helm-"));
  const bin = path.join(dir, "helm");
  const log = path.join(dir, "calls.jsonl");
  writeFileSync(
    bin,
    `#!/usr/bin/env node
const fs = require("node:fs");
const args = process.argv.slice(2);
const i = args.indexOf("--values");
const values = i >= 0 ? fs.readFileSync(args[i + 1], "utf8") : null;
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ args, values }) + "\\n");
if (values && values.includes("FAKE_HELM_FAIL")) { process.stderr.write("Error: UPGRADE FAILED: context deadline exceeded\\n"); process.exit(1); }
if (args[0] === "upgrade") process.stdout.write(JSON.stringify({ name: args[2], info: { status: "deployed" }, version: 1 }));
else process.stdout.write("Rollback was a success! Happy Helming!\\n");
`,
  );
  chmodSync(bin, 0o755);
  const calls = () =>
    readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { args: string[]; values: string | null });
  return { bin, calls };
}

describeEachDatabase("helm driver", (getDb) => {
  it("runs helm upgrade --install and helm rollback with the revision's values, and maps a failure to FAILED with stderr", async () => {
    const { db } = getDb();
    const helm = fakeHelm();
    const driver = createHelmDriver({ helmBin: helm.bin, timeout: "7m", chartRepo: "oci://registry.example/charts" });
    const ctx = contextFor(db, undefined, driver);
    const tenant = await givenTenant(db, { kubeContext: "prod-eu-1" });
    const chart = await givenChart(db, [{ version: "1.0.0" }, { version: "1.1.0" }]);

    const installed = await installRelease({ ctx, input: { tenantId: tenant.id, name: "api", namespace: "team-a", chartName: chart, chartVersion: "1.0.0", valuesOverride: { replicaCount: 2 } } });
    expect(installed.revision.status).toBe("DEPLOYED");
    const [install] = helm.calls();
    expect(install!.args).toEqual([
      "upgrade", "--install", "api", `oci://registry.example/charts/${chart}`, "--version", "1.0.0", "--namespace", "team-a", "--create-namespace",
      "--values", expect.stringMatching(/values\.json$/), "--description", `Install ${chart} 1.0.0`, "--wait", "--timeout", "7m", "--output", "json",
      "--kube-context", "prod-eu-1",
    ]);
    expect(JSON.parse(install!.values!)).toEqual(installed.revision.values);

    const failed = await upgradeRelease({
      ctx,
      input: { releaseId: installed.release.id, chartVersion: "1.1.0", valuesOverride: { marker: "FAKE_HELM_FAIL" }, valuesStrategy: "reset-then-reuse", atomic: false, acknowledgeBreakingChanges: false },
    });
    expect(failed.revision).toMatchObject({ status: "FAILED", error: "Error: UPGRADE FAILED: context deadline exceeded" });
    expect(failed.release).toMatchObject({ chartVersion: "1.0.0", revision: 1 });

    const upgraded = await upgradeRelease({
      ctx,
      input: { releaseId: installed.release.id, chartVersion: "1.1.0", valuesStrategy: "reset-then-reuse", atomic: false, acknowledgeBreakingChanges: false },
    });
    expect(upgraded.revision).toMatchObject({ revision: 3, status: "DEPLOYED" });

    const rolled = await rollbackRelease({ ctx, input: { releaseId: installed.release.id, revision: 1 } });
    expect(rolled.revision.status).toBe("DEPLOYED");
    expect(helm.calls().at(-1)!.args).toEqual(["rollback", "api", "1", "--namespace", "team-a", "--wait", "--timeout", "7m", "--kube-context", "prod-eu-1"]);
  });

  it("a missing helm binary fails the revision with a clear error instead of crashing", async () => {
    const { db } = getDb();
    const driver = createHelmDriver({ helmBin: "/nonexistent/helm", timeout: "1m" });
    const tenant = await givenTenant(db);
    const chart = await givenChart(db, [{ version: "1.0.0" }]);
    const result = await installRelease({ ctx: contextFor(db, undefined, driver), input: { tenantId: tenant.id, name: "x", namespace: "y", chartName: chart, chartVersion: "1.0.0" } });
    expect(result.revision.status).toBe("FAILED");
    expect(result.revision.error).toMatch(/cannot run \/nonexistent\/helm/);
  });

  it("gives each (kube context, namespace) to one tenant: another tenant's install there is 409 and runs no helm", async () => {
    const { db } = getDb();
    const helm = fakeHelm();
    const driver = createHelmDriver({ helmBin: helm.bin, timeout: "1m" });
    const context = unique("shared-cluster");
    const [first, second, elsewhere] = [await givenTenant(db, { kubeContext: context }), await givenTenant(db, { kubeContext: context }), await givenTenant(db, { kubeContext: unique("other") })];
    const chart = await givenChart(db, [{ version: "1.0.0" }]);
    const install = (tenantId: string, name: string, namespace: string) =>
      installRelease({ ctx: contextFor(db, undefined, driver), input: { tenantId, name, namespace, chartName: chart, chartVersion: "1.0.0" } });

    expect((await install(first.id, "api", "team-a")).revision.status).toBe("DEPLOYED");
    // The owner may install more there; another tenant on the same context may not.
    expect((await install(first.id, "worker", "team-a")).revision.status).toBe("DEPLOYED");
    const refused = await install(second.id, "api", "team-a").catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: "CONFLICT", httpStatus: 409, message: expect.stringMatching(/team-a.*another tenant/) });
    expect((refused as Error).message).not.toContain(first.slug);
    // The same namespace name on another kube context is another namespace.
    expect((await install(elsewhere.id, "api", "team-a")).revision.status).toBe("DEPLOYED");
    expect(helm.calls().filter((c) => c.args.includes("team-a"))).toHaveLength(3);
    expect(await db.select().from(releases).where(eq(releases.tenantId, second.id))).toEqual([]);
  });

  it("decides two tenants racing for a new namespace in the database: exactly one gets it", async () => {
    const { db } = getDb();
    const helm = fakeHelm();
    const driver = createHelmDriver({ helmBin: helm.bin, timeout: "1m" });
    const context = unique("race-cluster");
    const tenants = await Promise.all(Array.from({ length: 4 }, () => givenTenant(db, { kubeContext: context })));
    const chart = await givenChart(db, [{ version: "1.0.0" }]);
    const outcomes = await Promise.allSettled(
      tenants.map((t) => installRelease({ ctx: contextFor(db, undefined, driver), input: { tenantId: t.id, name: "api", namespace: "contested", chartName: chart, chartVersion: "1.0.0" } })),
    );
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    for (const o of outcomes.filter((o) => o.status === "rejected")) expect((o as PromiseRejectedResult).reason).toMatchObject({ httpStatus: 409 });
  });
});
