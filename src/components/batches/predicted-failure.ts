import type { BatchPreview } from "@/contracts/batches";
import { REASON_WORDS } from "./reason-words";

export type PreviewItem = BatchPreview["items"][number];

/**
 * Why a release is predicted to end FAILED if the batch runs: the batch refuses it (a check
 * fails), or the `resources` check says it will not fit the tenant's quota (the driver would
 * then record a FAILED revision, on every run). null: no failure predicted.
 */
export function predictedFailure(item: PreviewItem): string | null {
  if (item.action === "refuse") return item.reasonCode ? REASON_WORDS[item.reasonCode] : (item.reason ?? "a check fails");
  if (item.action !== "upgrade") return null;
  const resources = item.plan?.checks.find((c) => c.id === "resources" && c.status !== "pass");
  return resources ? resources.message : null;
}
