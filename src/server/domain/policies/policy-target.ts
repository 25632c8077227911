import { and, eq } from "drizzle-orm";
import semver from "semver";
import type { DbOrTx } from "@/server/db/client";
import { chartVersions } from "@/server/db/schema";
import { invalid } from "../errors";

/** A range npm's semver understands; anything else is refused before it is stored. */
export function assertValidRange(range: string): void {
  if (semver.validRange(range) === null) throw invalid([{ path: "range", message: `"${range}" is not a semver range (e.g. "~1.3", "^1", ">=1.2 <2")` }]);
}

/**
 * The version a policy upgrades to: the highest published, non-deprecated version of the
 * chart in its range, pre-releases only when the policy includes them. A chart has a
 * handful of versions, so they are matched here rather than in SQL.
 */
export async function findPolicyTarget(db: DbOrTx, policy: { chartName: string; range: string; includePrerelease: boolean }): Promise<string | null> {
  const rows = await db
    .select({ version: chartVersions.version })
    .from(chartVersions)
    .where(and(eq(chartVersions.name, policy.chartName), eq(chartVersions.deprecated, false)));
  const inRange = rows.map((r) => r.version).filter((v) => semver.satisfies(v, policy.range, { includePrerelease: policy.includePrerelease }));
  return semver.rsort(inRange)[0] ?? null;
}
