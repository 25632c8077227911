import type { JsonObject } from "@/contracts/common";
import type { Operation } from "@/contracts/releases";
import type { Quota } from "@/contracts/tenants";

/** Everything a driver needs to apply one revision; it never reads the database itself. */
export interface DeployRequest {
  operation: Operation;
  tenant: { id: string; slug: string; environment: string; quota: Quota | null; kubeContext: string | null };
  release: { id: string; name: string; namespace: string; chartName: string };
  revision: number;
  chartVersion: string;
  appVersion: string;
  values: JsonObject;
  description: string;
  /** For a rollback: the revision whose manifest to restore. */
  rollbackTo?: number;
  /** What the tenant's other releases request while they run (for drivers that model capacity). */
  loadOtherRequests: () => Promise<{ cpu: number; memory: number }>;
}

export type DeployResult = { ok: true } | { ok: false; error: string };

export interface DeployDriver {
  readonly name: string;
  /**
   * Releases land in real namespaces of kube contexts that tenants may share (helm): each
   * (context, namespace) must then belong to one tenant. The simulated driver has none.
   */
  readonly claimsNamespaces?: boolean;
  apply(request: DeployRequest): Promise<DeployResult>;
}
