import type { PolicyView } from "@/contracts/policies";
import type { upgradePolicies } from "@/server/db/schema";

export type PolicyRow = typeof upgradePolicies.$inferSelect;

export const toPolicyView = (p: PolicyRow, tenantSlug: string | null): PolicyView => ({
  id: p.id,
  chartName: p.chartName,
  tenant: tenantSlug,
  range: p.range,
  includePrerelease: p.includePrerelease,
  mode: p.mode,
  canary: p.canary,
  maxFailures: p.maxFailures,
  concurrency: p.concurrency,
  enabled: p.enabled,
  createdBy: p.createdBy,
  createdAt: p.createdAt.toISOString(),
  lastEvaluatedAt: p.lastEvaluatedAt?.toISOString() ?? null,
  lastBatchId: p.lastBatchId,
});
