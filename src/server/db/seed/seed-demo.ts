import { systemActor } from "@/server/auth/actor";
import { hashPassword } from "@/server/auth/password";
import { createSimulatedDriver } from "@/server/deploy/simulated-driver";
import { publishChartVersion } from "@/server/domain/charts/publish-chart-version";
import type { DomainContext } from "@/server/domain/context";
import { installRelease } from "@/server/domain/releases/install-release";
import { upgradeRelease } from "@/server/domain/releases/upgrade-release";
import { createTenant } from "@/server/domain/tenants/create-tenant";
import { insertUser } from "@/server/domain/users/create-user";
import type { Database } from "../client";
import { DEMO_PASSWORD, demoAccountEmail, demoCharts, demoTenants, productionVersions } from "./demo-data";

type Planned = { tenant: string; name: string; namespace: string; chart: string; history: string[] };

function plannedReleases(): Planned[] {
  const planned: Planned[] = [];
  for (const slug of ["acme-dev", "globex-dev", "acme-staging", "initech-staging"]) {
    planned.push({ tenant: slug, name: "query-engine", namespace: "analytics", chart: "matih-query-engine", history: ["1.1.0", "1.2.0", "1.3.0"] });
    planned.push({ tenant: slug, name: "query-engine", namespace: "reporting", chart: "matih-query-engine", history: ["1.2.0", "1.3.0"] });
  }
  for (const [slug, [first, second]] of Object.entries(productionVersions)) {
    planned.push({ tenant: slug, name: "query-engine", namespace: "analytics", chart: "matih-query-engine", history: first === "1.2.0" ? ["1.1.0", "1.2.0"] : [first] });
    planned.push({ tenant: slug, name: "query-engine", namespace: "reporting", chart: "matih-query-engine", history: second === "1.2.0" ? ["1.2.0"] : [second] });
  }
  planned.push({ tenant: "acme", name: "query-engine", namespace: "batch", chart: "matih-query-engine", history: ["1.2.0"] });
  planned.push({ tenant: "acme", name: "gateway", namespace: "edge", chart: "matih-gateway", history: ["2.0.0"] });
  planned.push({ tenant: "globex", name: "gateway", namespace: "edge", chart: "matih-gateway", history: ["2.0.0", "2.1.0"] });
  planned.push({ tenant: "acme-dev", name: "gateway", namespace: "edge", chart: "matih-gateway", history: ["2.1.0"] });
  planned.push({ tenant: "hooli", name: "catalog", namespace: "data", chart: "matih-catalog", history: ["0.9.0"] });
  return planned;
}

/**
 * Fills an empty database with the demo fleet through the same use cases the API runs,
 * so every release has a real revision history and audit trail.
 */
export async function seedDemo(db: Database): Promise<{ tenants: number; releases: number; users: number }> {
  const ctx: DomainContext = { db, actor: systemActor("system:demo-seed"), driver: createSimulatedDriver({ latencyMs: 0 }) };
  for (const chart of demoCharts) await publishChartVersion({ ctx, input: chart });
  const tenantIds = new Map<string, string>();
  for (const tenant of demoTenants) tenantIds.set(tenant.slug, (await createTenant({ ctx, input: tenant })).id);
  const planned = plannedReleases();
  for (const p of planned) {
    const [first, ...rest] = p.history;
    const installed = await installRelease({
      ctx,
      input: { tenantId: tenantIds.get(p.tenant)!, name: p.name, namespace: p.namespace, chartName: p.chart, chartVersion: first! },
    });
    for (const version of rest) {
      await upgradeRelease({
        ctx,
        input: {
          releaseId: installed.release.id,
          chartVersion: version,
          valuesStrategy: "reset-then-reuse",
          atomic: false,
          acknowledgeBreakingChanges: true,
          ...(p.namespace === "reporting" ? { valuesOverride: { engine: { queryTimeoutSeconds: 900 } } } : {}),
        },
      });
    }
  }
  const users = await seedDemoAccounts(ctx, tenantIds);
  return { tenants: demoTenants.length, releases: planned.length, users };
}

/**
 * A tenant-admin and a viewer per demo tenant. Their password is published, so one hash
 * serves them all: separate salts would protect nothing and cost seconds of scrypt per start.
 */
async function seedDemoAccounts(ctx: DomainContext, tenantIds: Map<string, string>): Promise<number> {
  const accounts = [...tenantIds].flatMap(([slug, tenantId]) => [
    { email: demoAccountEmail(slug, "admin"), name: `${slug} admin`, role: "tenant-admin" as const, tenantId },
    { email: demoAccountEmail(slug, "viewer"), name: `${slug} viewer`, role: "viewer" as const, tenantId },
  ]);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const account of accounts) await insertUser(ctx.db, ctx, { ...account, password: DEMO_PASSWORD }, { passwordHash });
  return accounts.length;
}
