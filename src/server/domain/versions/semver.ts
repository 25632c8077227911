import semver from "semver";
import { SEMVER_PATTERN } from "@/contracts/common";
import type { UpgradeType } from "@/contracts/releases";

export function isStrictSemver(version: string): boolean {
  return SEMVER_PATTERN.test(version);
}

const NUMBER_WIDTH = 16; // Number.MAX_SAFE_INTEGER has 16 digits.
const pad = (n: string) => n.padStart(NUMBER_WIDTH, "0");

/**
 * A string whose byte order is semver precedence, so that SQL can order and compare
 * versions with an index ("C" collation). Build metadata is ignored, as precedence says.
 *
 * Layout: padded major.minor.patch, then "~" for a release or "!" + identifiers for a
 * pre-release ("!" < "~", so 1.3.0-rc.1 < 1.3.0). Numeric identifiers become "0" + padded
 * digits and alphanumeric ones "1" + text, joined by " ", which sorts below every
 * identifier character, so a shorter identifier list that is a prefix sorts first.
 */
export function semverSortKey(version: string): string {
  const parsed = semver.parse(version);
  if (!parsed || !isStrictSemver(version)) throw new Error(`not a strict semantic version: ${version}`);
  const core = [parsed.major, parsed.minor, parsed.patch].map((n) => pad(String(n))).join(".");
  if (parsed.prerelease.length === 0) return `${core}~`;
  const ids = parsed.prerelease.map((id) => (typeof id === "number" ? `0${pad(String(id))}` : `1${id}`));
  return `${core}!${ids.join(" ")}`;
}

/** What kind of step from `from` to `to` (to > from); null when it is no upgrade. */
export function upgradeType(from: string | null, to: string): UpgradeType | null {
  if (from === null) return null;
  if (semver.compare(from, to) >= 0) return null;
  const a = semver.parse(from)!;
  const b = semver.parse(to)!;
  if (b.major !== a.major) return "major";
  if (b.minor !== a.minor) return "minor";
  if (b.patch !== a.patch) return "patch";
  return "prerelease";
}
