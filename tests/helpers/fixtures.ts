import type { PublishChartInput } from "@/contracts/charts";
import type { JsonObject } from "@/contracts/common";
import type { CreateTenantInput } from "@/contracts/tenants";
import type { Actor } from "@/server/auth/actor";
import { createSimulatedDriver } from "@/server/deploy/simulated-driver";
import type { DeployDriver } from "@/server/deploy/driver";
import { publishChartVersion } from "@/server/domain/charts/publish-chart-version";
import type { DomainContext } from "@/server/domain/context";
import { installRelease } from "@/server/domain/releases/install-release";
import { createTenant } from "@/server/domain/tenants/create-tenant";
import type { Database } from "@/server/db/client";
import { platformAdmin } from "./databases";

let counter = 0;
/** Unique names per call, so tests in one database never collide. */
export const unique = (prefix: string) => `${prefix}-${process.pid.toString(36)}-${(++counter).toString(36)}`;

export function contextFor(db: Database, actor: Actor = platformAdmin, driver: DeployDriver = createSimulatedDriver({ latencyMs: 0 })): DomainContext {
  return { db, actor, driver, requestId: "test" };
}

export async function givenTenant(db: Database, input: Partial<CreateTenantInput> = {}) {
  return createTenant({ ctx: contextFor(db), input: { slug: unique("t"), name: "Test tenant", environment: "production", ...input } });
}

export const chartDefaults = (tag: string, extra: JsonObject = {}): JsonObject => ({
  replicaCount: 1,
  image: { repository: "example/app", tag },
  resources: { requests: { cpu: "500m", memory: "512Mi" } },
  ports: [80],
  ...extra,
});

/** Publishes versions of one chart; returns its name. */
export async function givenChart(db: Database, versions: Array<Partial<PublishChartInput> & { version: string }>, name = unique("chart")) {
  for (const v of versions) {
    await publishChartVersion({
      ctx: contextFor(db),
      input: { name, appVersion: `app-${v.version}`, defaultValues: chartDefaults(v.version), changes: [], deprecated: false, ...v },
    });
  }
  return name;
}

export async function givenRelease(db: Database, args: { tenantId: string; chartName: string; chartVersion: string; valuesOverride?: JsonObject; name?: string }) {
  const result = await installRelease({
    ctx: contextFor(db),
    input: { tenantId: args.tenantId, name: args.name ?? unique("rel"), namespace: "default", chartName: args.chartName, chartVersion: args.chartVersion, valuesOverride: args.valuesOverride },
  });
  return result.release;
}
