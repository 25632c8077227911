import { and, eq, gt, lte } from "drizzle-orm";
import semver from "semver";
import type { BatchReasonCode } from "@/contracts/batches";
import type { ChartChange, JsonObject } from "@/contracts/common";
import type { UpgradeOptions, UpgradeType } from "@/contracts/releases";
import type { DbOrTx } from "@/server/db/client";
import { chartVersions, revisions } from "@/server/db/schema";
import type { ChartVersionRow } from "../charts/chart-version-view";
import { requireChartVersion } from "../charts/list-chart-versions";
import { DomainError, type FieldError } from "../errors";
import { computeValues, layerValues } from "../values/merge-values";
import { validateValues } from "../values/validate-values";
import { semverSortKey, upgradeType } from "../versions/semver";
import type { ReleaseWithTenant } from "./find-release";
import type { PlannedRevision } from "./release-operation";
import type { RevisionRow } from "./views";

export interface PreparedUpgrade {
  chart: ChartVersionRow;
  /** What runs now; the base of the values strategies. */
  deployed: RevisionRow | null;
  planned: PlannedRevision;
  upgradeType: UpgradeType | null;
  majorChange: boolean;
  /** removed/deprecated changelog entries of the versions crossed, newest first. */
  breakingEntries: Array<ChartChange & { version: string }>;
  schemaErrors: FieldError[];
}

export async function loadDeployedRevision(db: DbOrTx, target: ReleaseWithTenant): Promise<RevisionRow | null> {
  if (target.release.deployedRevision === null) return null;
  const [row] = await db
    .select()
    .from(revisions)
    .where(and(eq(revisions.releaseId, target.release.id), eq(revisions.revision, target.release.deployedRevision)));
  return row ?? null;
}

/** The three ways of carrying values across an upgrade (see SPEC §1 Values). */
export function valuesForStrategy(input: Pick<UpgradeOptions, "valuesStrategy" | "valuesOverride">, chartDefaults: JsonObject, deployed: RevisionRow | null) {
  const override = input.valuesOverride ?? {};
  const previousUser = deployed?.userValues ?? {};
  switch (input.valuesStrategy) {
    case "reset":
      return { userValues: override, values: computeValues(chartDefaults, override) };
    case "reuse":
      return { userValues: layerValues(previousUser, override), values: computeValues(deployed?.values ?? chartDefaults, override) };
    case "reset-then-reuse": {
      const userValues = layerValues(previousUser, override);
      return { userValues, values: computeValues(chartDefaults, userValues) };
    }
  }
}

/** The removed/deprecated changelog entries of the versions an upgrade from `from` to `to` crosses, newest first. */
export async function changesCrossed(db: DbOrTx, chartName: string, from: string | null, to: string): Promise<Array<ChartChange & { version: string }>> {
  if (from === null || semver.compare(from, to) >= 0) return [];
  const rows = await db
    .select({ version: chartVersions.version, changes: chartVersions.changes })
    .from(chartVersions)
    .where(and(eq(chartVersions.name, chartName), gt(chartVersions.versionSort, semverSortKey(from)), lte(chartVersions.versionSort, semverSortKey(to))));
  return rows
    .sort((a, b) => semver.rcompare(a.version, b.version))
    .flatMap((r) => r.changes.filter((c) => c.kind === "removed" || c.kind === "deprecated").map((c) => ({ ...c, version: r.version })));
}

/** Everything an upgrade would record and what the checks need, without writing anything. */
export async function prepareUpgrade(db: DbOrTx, target: ReleaseWithTenant, input: UpgradeOptions): Promise<PreparedUpgrade> {
  const chart = await requireChartVersion(db, target.release.chartName, input.chartVersion);
  return prepareUpgradeFrom({
    target,
    input,
    chart,
    deployed: await loadDeployedRevision(db, target),
    breakingEntries: await changesCrossed(db, target.release.chartName, target.release.chartVersion, chart.version),
  });
}

/** The same from what is already loaded (a batch loads the deployed revision with its lock and caches the rest). */
export function prepareUpgradeFrom({
  target,
  input,
  chart,
  deployed,
  breakingEntries,
}: {
  target: ReleaseWithTenant;
  input: UpgradeOptions;
  chart: ChartVersionRow;
  deployed: RevisionRow | null;
  breakingEntries: PreparedUpgrade["breakingEntries"];
}): PreparedUpgrade {
  const { userValues, values } = valuesForStrategy(input, chart.defaultValues, deployed);
  const current = target.release.chartVersion;
  return {
    chart,
    deployed,
    upgradeType: upgradeType(current, chart.version),
    majorChange: current !== null && semver.major(current) !== semver.major(chart.version),
    breakingEntries,
    schemaErrors: validateValues(values, chart.valuesSchema ?? null),
    planned: {
      chartVersion: chart.version,
      appVersion: input.appVersion ?? chart.appVersion,
      valuesOverride: input.valuesOverride ?? {},
      userValues,
      values,
      description: input.description ?? (current ? `Upgrade from ${current} to ${chart.version}` : `Upgrade to ${chart.version}`),
    },
  };
}

export const needsBreakingAcknowledgement = (p: PreparedUpgrade) => p.majorChange || p.breakingEntries.length > 0;

/** The checks that refuse an upgrade outright (422, no revision recorded). */
/** Which refusal of enforceBlockingChecks an error is, as batches report it. */
export const refusalCode = (e: DomainError): BatchReasonCode => (e.code === "VALIDATION_FAILED" ? "values-schema" : "breaking-changes");

export function enforceBlockingChecks(prepared: PreparedUpgrade, input: Pick<UpgradeOptions, "acknowledgeBreakingChanges">): void {
  if (prepared.schemaErrors.length > 0) {
    throw new DomainError("VALIDATION_FAILED", `the values do not match the values schema of ${prepared.chart.name} ${prepared.chart.version}`, {
      errors: prepared.schemaErrors,
    });
  }
  if (needsBreakingAcknowledgement(prepared) && !input.acknowledgeBreakingChanges) {
    const reasons = [
      ...(prepared.majorChange ? ["a major version change"] : []),
      ...prepared.breakingEntries.map((e) => `${e.version}: ${e.kind} ${e.description}`),
    ];
    throw new DomainError("CHECK_FAILED", `this upgrade has breaking changes (${reasons.join("; ")}); set acknowledgeBreakingChanges: true to proceed`, {
      errors: [{ path: "acknowledgeBreakingChanges", message: "must be true for an upgrade with breaking changes" }],
      extensions: { breakingChanges: prepared.breakingEntries },
    });
  }
}
