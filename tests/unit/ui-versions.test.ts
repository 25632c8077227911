import { describe, expect, it } from "vitest";
import { defaultTargetVersion, isPrerelease, offeredVersions } from "@/components/versions";

const v = (version: string, deprecated = false) => ({ version, deprecated });

describe("target versions in the UI", () => {
  it("tells prereleases by the hyphen before any build metadata", () => {
    expect(isPrerelease("1.0.0-rc.1")).toBe(true);
    expect(isPrerelease("1.0.0")).toBe(false);
    expect(isPrerelease("1.0.0+build-7")).toBe(false);
    expect(isPrerelease("1.0.0-alpha+build-7")).toBe(true);
  });

  it("defaults to the newest stable version, not a newer prerelease", () => {
    expect(defaultTargetVersion([v("1.4.0-rc.1"), v("1.3.0"), v("1.2.0")])).toBe("1.3.0");
  });

  it("skips a deprecated newest stable version when an older one is not deprecated", () => {
    expect(defaultTargetVersion([v("2.0.0", true), v("1.9.0")])).toBe("1.9.0");
  });

  it("falls back to a deprecated stable version, then to a prerelease when nothing else exists", () => {
    expect(defaultTargetVersion([v("1.0.0-rc.1"), v("0.9.0", true)])).toBe("0.9.0");
    expect(defaultTargetVersion([v("1.0.0-rc.2"), v("1.0.0-rc.1")])).toBe("1.0.0-rc.2");
    expect(defaultTargetVersion([])).toBeUndefined();
    expect(defaultTargetVersion(undefined)).toBeUndefined();
  });

  it("offers prereleases only when asked, as helm search --devel", () => {
    const all = [v("1.4.0-rc.1"), v("1.3.0"), v("1.3.0-beta.2"), v("1.2.0")];
    expect(offeredVersions(all, false).map((x) => x.version)).toEqual(["1.3.0", "1.2.0"]);
    expect(offeredVersions(all, true)).toEqual(all);
  });
});
