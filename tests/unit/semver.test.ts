import semver from "semver";
import { describe, expect, it } from "vitest";
import { semverString } from "@/contracts/common";
import { semverSortKey, upgradeType } from "@/server/domain/versions/semver";

const byteOrder = (a: string, b: string) => (Buffer.compare(Buffer.from(semverSortKey(a)), Buffer.from(semverSortKey(b))));

describe("semver sort key", () => {
  const ordered = [
    "0.9.0",
    "1.0.0-0",
    "1.0.0-1",
    "1.0.0-2",
    "1.0.0-10",
    "1.0.0-alpha",
    "1.0.0-alpha.1",
    "1.0.0-alpha.beta",
    "1.0.0-alpha-x",
    "1.0.0-beta",
    "1.0.0-beta.2",
    "1.0.0-beta.11",
    "1.0.0-rc.1",
    "1.0.0",
    "1.2.0",
    "1.3.0-rc.1",
    "1.3.0",
    "1.9.0",
    "1.10.0",
    "2.0.0",
    "10.0.0",
    "9007199254740991.0.0",
  ];

  it("orders bytes exactly as semver precedence", () => {
    const shuffled = [...ordered].reverse();
    expect(shuffled.sort(byteOrder)).toEqual(ordered);
    for (let i = 0; i < ordered.length; i++) {
      for (let j = 0; j < ordered.length; j++) {
        expect(Math.sign(byteOrder(ordered[i]!, ordered[j]!)), `${ordered[i]} vs ${ordered[j]}`).toBe(Math.sign(semver.compare(ordered[i]!, ordered[j]!)));
      }
    }
  });

  it("ignores build metadata, as precedence does", () => {
    expect(semverSortKey("1.2.0+build.5")).toBe(semverSortKey("1.2.0"));
  });
});

describe("strict semver input", () => {
  it.each(["1.2.3", "0.0.0", "1.3.0-rc.1", "1.0.0+20130313144700", "1.0.0-beta+exp.sha.5114f85"])("accepts %s", (v) => {
    expect(semverString.safeParse(v).success).toBe(true);
  });
  it.each(["v1.2.3", "1.2", "01.2.3", "1.2.3-01", "1.2.3.4", " 1.2.3", "", "1.2.3-", "latest", "99999999999999999.0.0"])("rejects %j", (v) => {
    expect(semverString.safeParse(v).success).toBe(false);
  });
});

describe("upgrade type", () => {
  it.each([
    ["1.2.0", "2.0.0", "major"],
    ["1.2.0", "1.3.0", "minor"],
    ["1.2.0", "1.2.1", "patch"],
    ["1.3.0-rc.1", "1.3.0", "prerelease"],
    ["1.2.0", "1.3.0-rc.1", "minor"],
    ["1.3.0", "1.3.0", null],
    ["1.3.0", "1.2.0", null],
  ])("%s → %s is %s", (from, to, type) => {
    expect(upgradeType(from, to)).toBe(type);
  });
});
