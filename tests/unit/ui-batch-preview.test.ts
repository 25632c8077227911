import { describe, expect, it } from "vitest";
import { predictedFailure, type PreviewItem } from "@/components/batches/predicted-failure";

const check = (id: string, status: "pass" | "warn" | "fail", message = `${id} ${status}`) => ({ id, status, message });
const item = (action: PreviewItem["action"], checks: ReturnType<typeof check>[], reason: string | null = null): PreviewItem => ({
  releaseId: "00000000-0000-4000-8000-000000000001",
  tenantSlug: "umbrella",
  releaseName: "query-engine",
  namespace: "analytics",
  fromVersion: "1.2.0",
  action,
  reason,
  reasonCode: action === "refuse" ? "values-schema" : action === "skip" ? "outside-window" : null,
  plan: { releaseId: "00000000-0000-4000-8000-000000000001", currentVersion: "1.2.0", targetVersion: "1.3.0", upgradeType: "minor", values: {}, diff: [], checks } as PreviewItem["plan"],
});

describe("predicted failures in a batch preview", () => {
  it("predicts a quota failure from a resources warning on an upgrade", () => {
    expect(predictedFailure(item("upgrade", [check("resources", "warn", "predicted to fail: cpu 3 > 2500m")]))).toBe("predicted to fail: cpu 3 > 2500m");
  });

  it("predicts a failure for a release the batch would refuse, in the UI's words for the server's reason code", () => {
    expect(predictedFailure(item("refuse", [check("values-compatible", "fail")], "the values do not match the values schema"))).toBe("The values do not match the chart's values schema.");
    const breaking = { ...item("refuse", [], "this upgrade has breaking changes (major); set acknowledgeBreakingChanges: true to proceed"), reasonCode: "breaking-changes" as const };
    expect(predictedFailure(breaking)).toContain("tick “Acknowledge breaking changes”");
    expect(predictedFailure(breaking)).not.toContain("acknowledgeBreakingChanges");
  });

  it("predicts nothing for other warnings, or for a skipped release", () => {
    expect(predictedFailure(item("upgrade", [check("resources", "pass"), check("tested-in-development", "warn")]))).toBeNull();
    expect(predictedFailure(item("skip", [check("resources", "warn")], "outside the maintenance window"))).toBeNull();
  });
});
