import { and, eq, lt, ne, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { releases, tenants } from "@/server/db/schema";
import { isInsideWindow } from "../tenants/maintenance-window";
import { semverSortKey } from "../versions/semver";
import type { PolicyRow } from "./policy-view";

/**
 * Which releases a policy governs: its chart's, in its tenant; or, for a fleet policy, in
 * every tenant without a policy of its own for the chart (an own policy that is disabled
 * still counts: it is how a tenant opts out of the fleet's).
 */
export function governedBy(policy: Pick<PolicyRow, "chartName" | "tenantId">): SQL {
  return policy.tenantId
    ? eq(releases.tenantId, policy.tenantId)
    : sql`not exists (select 1 from upgrade_policies own where own.chart_name = ${policy.chartName} and own.tenant_id = ${releases.tenantId})`;
}

/** The releases a policy would upgrade to `target`: governed by it and deployed below it. */
export const belowTarget = (policy: Pick<PolicyRow, "chartName" | "tenantId">, target: string): SQL[] => [
  eq(releases.chartName, policy.chartName),
  lt(releases.versionSort, semverSortKey(target)),
  ne(releases.status, "UNINSTALLED"),
  governedBy(policy),
];

export interface TenantsByWindow {
  total: number;
  inWindow: number;
  outsideWindow: number;
  /** The tenants whose window is open at `now` and that have releases to upgrade. */
  openTenantIds: string[];
}

/** Counts the releases below target per tenant (one grouped query), split by whether the tenant's window is open at `now`. */
export async function releasesByWindow(db: DbOrTx, conditions: SQL[], now: Date): Promise<TenantsByWindow> {
  const rows = await db
    .select({ tenantId: releases.tenantId, window: tenants.maintenanceWindow, n: sql<number>`count(*)::int`.mapWith(Number) })
    .from(releases)
    .innerJoin(tenants, eq(tenants.id, releases.tenantId))
    .where(and(...conditions))
    .groupBy(releases.tenantId, tenants.maintenanceWindow);
  const result: TenantsByWindow = { total: 0, inWindow: 0, outsideWindow: 0, openTenantIds: [] };
  for (const r of rows) {
    result.total += r.n;
    if (isInsideWindow(r.window, now)) {
      result.inWindow += r.n;
      result.openTenantIds.push(r.tenantId);
    } else result.outsideWindow += r.n;
  }
  return result;
}
