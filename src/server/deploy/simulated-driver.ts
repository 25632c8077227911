import { setTimeout as sleep } from "node:timers/promises";
import { describeExcesses, quotaExcesses, requestsOf, sumRequests } from "@/server/domain/capacity/tenant-capacity";
import type { DeployDriver, DeployRequest, DeployResult } from "./driver";

/**
 * A deterministic model of a cluster, not a cluster: a revision is admitted when the
 * tenant's summed resource requests, with this revision in place of the release's current
 * one, fit the tenant's quota, as a ResourceQuota would admit or reject its pods.
 */
export function createSimulatedDriver(options: { latencyMs: number }): DeployDriver {
  return {
    name: "simulated",
    async apply(request: DeployRequest): Promise<DeployResult> {
      if (options.latencyMs > 0) await sleep(options.latencyMs);
      // Without a quota nothing can be exceeded: no need to read what the other releases request.
      if (!request.tenant.quota) return { ok: true };
      const total = sumRequests([await request.loadOtherRequests(), requestsOf(request.values)]);
      const excesses = quotaExcesses(total, request.tenant.quota);
      if (excesses.length > 0) return { ok: false, error: describeExcesses(request.tenant.slug, excesses) };
      return { ok: true };
    },
  };
}
