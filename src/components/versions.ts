import type { ChartVersionSummary } from "@/contracts/charts";

/** SemVer: a hyphen before any build metadata marks a prerelease (1.0.0-rc.1, not 1.0.0+build-7). */
export const isPrerelease = (version: string) => version.split("+")[0]!.includes("-");

/**
 * What a version picker offers, as `helm search` does: stable versions only, prereleases too
 * with `devel` (`--devel`). The list stays semver descending, as the server answers it.
 */
export function offeredVersions<V extends Pick<ChartVersionSummary, "version">>(versions: readonly V[] | undefined, devel: boolean): V[] {
  return (versions ?? []).filter((v) => devel || !isPrerelease(v.version));
}

/**
 * The target a form starts with: the newest stable version that is not deprecated, else the
 * newest stable one, else (a chart with prereleases only) the newest. Never a prerelease
 * while a stable version exists: an "rc" is only ever a target someone chose.
 */
export function defaultTargetVersion(versions: readonly Pick<ChartVersionSummary, "version" | "deprecated">[] | undefined): string | undefined {
  const stable = offeredVersions(versions, false);
  return (stable.find((v) => !v.deprecated) ?? stable[0] ?? versions?.[0])?.version;
}
