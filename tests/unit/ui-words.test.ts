import { describe, expect, it } from "vitest";
import { inUiWords } from "@/components/ui-words";

describe("server messages in the UI's words", () => {
  it("names the maintenance-window control instead of the API's ignoreWindows", () => {
    const server = "outside the maintenance window of tenant initech (sat, sun 01:00–05:00 UTC); set ignoreWindows to upgrade anyway";
    const ui = inUiWords(server);
    expect(ui).not.toContain("ignoreWindows");
    expect(ui).toContain("outside the maintenance window of tenant initech (sat, sun 01:00–05:00 UTC)");
    expect(ui).toContain("tick “Ignore maintenance windows”");
  });

  it("names the acknowledgement checkbox instead of acknowledgeBreakingChanges", () => {
    const ui = inUiWords("major version change 1.2.0 → 2.0.0; the upgrade needs acknowledgeBreakingChanges: true");
    expect(ui).toBe("major version change 1.2.0 → 2.0.0; the upgrade needs “Acknowledge breaking changes” ticked");
    expect(inUiWords("this upgrade has breaking changes (major); set acknowledgeBreakingChanges: true to proceed")).toBe("this upgrade has breaking changes (major); tick “Acknowledge breaking changes” to proceed");
  });

  it("leaves other messages as they are", () => {
    expect(inUiWords("requests exceed the quota of tenant umbrella: cpu 3 > 2500m")).toBe("requests exceed the quota of tenant umbrella: cpu 3 > 2500m");
  });
});
