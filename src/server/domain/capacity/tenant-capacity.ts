import type { JsonObject } from "@/contracts/common";
import type { Quota } from "@/contracts/tenants";
import { formatCpu, formatMemory, parseQuantity, tryParseQuantity } from "./quantity";

export type Requests = { cpu: number; memory: number };

/** What one release asks of the cluster: replicaCount × resources.requests. */
export function requestsOf(values: JsonObject): Requests {
  const replicas = typeof values.replicaCount === "number" && values.replicaCount >= 0 ? values.replicaCount : 1;
  const resources = values.resources;
  const requests =
    resources && typeof resources === "object" && !Array.isArray(resources) && resources.requests && typeof resources.requests === "object" && !Array.isArray(resources.requests)
      ? resources.requests
      : {};
  return {
    cpu: replicas * (tryParseQuantity(requests.cpu) ?? 0),
    memory: replicas * (tryParseQuantity(requests.memory) ?? 0),
  };
}

export function sumRequests(all: Requests[]): Requests {
  return all.reduce((acc, r) => ({ cpu: acc.cpu + r.cpu, memory: acc.memory + r.memory }), { cpu: 0, memory: 0 });
}

export type QuotaExcess = { resource: "cpu" | "memory"; requested: string; quota: string };

/** Which resources the total exceeds, in Kubernetes' own notation. Empty when it fits. */
export function quotaExcesses(total: Requests, quota: Quota | null): QuotaExcess[] {
  if (!quota) return [];
  const excesses: QuotaExcess[] = [];
  // A tolerance well below a millicore or a byte keeps float sums from failing exact fits.
  if (quota.cpu !== undefined && total.cpu > parseQuantity(quota.cpu) + 1e-9) {
    excesses.push({ resource: "cpu", requested: formatCpu(total.cpu), quota: quota.cpu });
  }
  if (quota.memory !== undefined && total.memory > parseQuantity(quota.memory) + 1e-3) {
    excesses.push({ resource: "memory", requested: formatMemory(total.memory), quota: quota.memory });
  }
  return excesses;
}

export function describeExcesses(tenantSlug: string, excesses: QuotaExcess[]): string {
  return excesses
    .map((e) => `exceeded quota for tenant ${tenantSlug}: requests.${e.resource} ${e.requested} > quota ${e.quota}`)
    .join("; ");
}
