import { and, eq, inArray } from "drizzle-orm";
import type { UpgradeCheck, UpgradeOptions, UpgradePlan } from "@/contracts/releases";
import type { DbOrTx } from "@/server/db/client";
import { releases, tenants } from "@/server/db/schema";
import { loadTenantRequests } from "../capacity/load-tenant-requests";
import { describeExcesses, quotaExcesses, requestsOf, sumRequests, type Requests } from "../capacity/tenant-capacity";
import type { DomainContext } from "../context";
import { describeWindow, isInsideWindow } from "../tenants/maintenance-window";
import { diffValues } from "../values/diff-values";
import { findVisibleRelease, type ReleaseWithTenant } from "./find-release";
import { needsBreakingAcknowledgement, prepareUpgrade, type PreparedUpgrade } from "./prepare-upgrade";

function breakingChangesCheck(p: PreparedUpgrade): UpgradeCheck {
  if (!needsBreakingAcknowledgement(p)) return { id: "breaking-changes", status: "pass", message: "no major version change and no removed or deprecated entries in the changelog" };
  const parts = [
    ...(p.majorChange ? [`major version change (${p.deployed?.chartVersion ?? "?"} → ${p.chart.version})`] : []),
    ...(p.breakingEntries.length ? [`${p.breakingEntries.length} removed/deprecated changelog entr${p.breakingEntries.length === 1 ? "y" : "ies"}`] : []),
  ];
  return {
    id: "breaking-changes",
    status: "warn",
    message: `${parts.join(" and ")}; the upgrade needs acknowledgeBreakingChanges: true`,
    details: p.breakingEntries,
  };
}

function valuesCompatibleCheck(p: PreparedUpgrade): UpgradeCheck {
  if (p.schemaErrors.length === 0) {
    return { id: "values-compatible", status: "pass", message: p.chart.valuesSchema ? `values match the values schema of ${p.chart.version}` : `${p.chart.version} has no values schema` };
  }
  return {
    id: "values-compatible",
    status: "fail",
    message: `values do not match the values schema of ${p.chart.version}: ${p.schemaErrors.map((e) => `${e.path} ${e.message}`).join("; ")}`,
    details: p.schemaErrors,
  };
}

function resourcesCheck(target: ReleaseWithTenant, p: PreparedUpgrade, otherRequests: Requests | null): UpgradeCheck {
  const { tenant } = target;
  if (!tenant.quota) return { id: "resources", status: "pass", message: `tenant ${tenant.slug} has no quota` };
  const total = sumRequests([otherRequests ?? { cpu: 0, memory: 0 }, requestsOf(p.planned.values)]);
  const excesses = quotaExcesses(total, tenant.quota);
  if (excesses.length === 0) return { id: "resources", status: "pass", message: `requests fit the quota of tenant ${tenant.slug}` };
  return { id: "resources", status: "warn", message: `predicted to fail: ${describeExcesses(tenant.slug, excesses)}`, details: excesses };
}

/** Whether some development or staging release of the chart runs the version DEPLOYED. */
export async function versionTestedInDevelopment(db: DbOrTx, chartName: string, version: string): Promise<boolean> {
  // Across all tenants on purpose: the evidence is the fleet's, even where the caller cannot see it; only a yes/no leaves.
  const [proof] = await db
    .select({ slug: tenants.slug })
    .from(releases)
    .innerJoin(tenants, eq(tenants.id, releases.tenantId))
    .where(
      and(
        eq(releases.chartName, chartName),
        eq(releases.chartVersion, version),
        eq(releases.status, "DEPLOYED"),
        inArray(tenants.environment, ["development", "staging"]),
      ),
    )
    .limit(1);
  return proof !== undefined;
}

function testedInDevelopmentCheck(target: ReleaseWithTenant, version: string, tested: boolean): UpgradeCheck {
  if (target.tenant.environment !== "production") {
    return { id: "tested-in-development", status: "pass", message: `tenant ${target.tenant.slug} is not a production tenant` };
  }
  return tested
    ? { id: "tested-in-development", status: "pass", message: `${version} already runs DEPLOYED in a development or staging tenant` }
    : { id: "tested-in-development", status: "warn", message: `no development or staging release of ${target.release.chartName} runs ${version} yet` };
}

function upgradeWindowCheck(target: ReleaseWithTenant, now: Date): UpgradeCheck {
  const window = target.tenant.maintenanceWindow;
  if (!window) return { id: "upgrade-window", status: "pass", message: `tenant ${target.tenant.slug} has no maintenance window (always open)` };
  return isInsideWindow(window, now)
    ? { id: "upgrade-window", status: "pass", message: `inside the maintenance window (${describeWindow(window)})` }
    : { id: "upgrade-window", status: "warn", message: `outside the maintenance window (${describeWindow(window)})` };
}

/** The facts the checks read besides the release itself: loaded one release at a time, or in bulk by a dry run. */
export interface CheckFacts {
  /** What the tenant's other releases request (only needed when the tenant has a quota). */
  otherRequests: Requests | null;
  testedInDevelopment: boolean;
}

/** All five checks, always in the same order. */
export function checksWith(target: ReleaseWithTenant, prepared: PreparedUpgrade, facts: CheckFacts, now = new Date()): UpgradeCheck[] {
  return [
    breakingChangesCheck(prepared),
    valuesCompatibleCheck(prepared),
    resourcesCheck(target, prepared, facts.otherRequests),
    testedInDevelopmentCheck(target, prepared.chart.version, facts.testedInDevelopment),
    upgradeWindowCheck(target, now),
  ];
}

export async function evaluateChecks(db: DbOrTx, target: ReleaseWithTenant, prepared: PreparedUpgrade, now = new Date()): Promise<UpgradeCheck[]> {
  const facts: CheckFacts = {
    otherRequests: target.tenant.quota ? await loadTenantRequests(db, target.tenant.id, target.release.id) : null,
    testedInDevelopment: target.tenant.environment === "production" ? await versionTestedInDevelopment(db, target.release.chartName, prepared.chart.version) : false,
  };
  return checksWith(target, prepared, facts, now);
}

export function toPlan(target: ReleaseWithTenant, prepared: PreparedUpgrade, checks: UpgradeCheck[]): UpgradePlan {
  return {
    releaseId: target.release.id,
    currentVersion: target.release.chartVersion,
    targetVersion: prepared.chart.version,
    upgradeType: prepared.upgradeType,
    values: prepared.planned.values,
    diff: diffValues(prepared.deployed?.values ?? {}, prepared.planned.values),
    checks,
  };
}

/** What an upgrade would do, without changing anything. */
export async function planUpgrade({ ctx, releaseId, input }: { ctx: DomainContext; releaseId: string; input: UpgradeOptions }): Promise<UpgradePlan> {
  const target = await findVisibleRelease(ctx.db, ctx.actor, releaseId);
  const prepared = await prepareUpgrade(ctx.db, target, input);
  return toPlan(target, prepared, await evaluateChecks(ctx.db, target, prepared));
}
