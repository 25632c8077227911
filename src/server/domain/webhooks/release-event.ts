import type { Operation } from "@/contracts/releases";
import type { WebhookEventType } from "@/contracts/webhooks";
import type { WebhookEvent } from "./emit-webhook-event";

export interface ReleaseOutcome {
  operation: Operation;
  ok: boolean;
  release: { id: string; name: string; namespace: string; chartName: string; tenantId: string };
  tenantSlug: string;
  fromVersion: string | null;
  toVersion: string;
  revision: number;
  batchId: string | null;
}

/**
 * The webhook event of an upgrade's or rollback's outcome (installs have none). The
 * driver's error text stays out: it may quote values, and receivers can read the revision.
 */
export function releaseWebhookEvent(o: ReleaseOutcome): WebhookEvent | null {
  if (o.operation === "install") return null;
  const type: WebhookEventType = !o.ok ? "release.failed" : o.operation === "upgrade" ? "release.upgraded" : "release.rolled-back";
  return {
    type,
    tenantId: o.release.tenantId,
    data: {
      operation: o.operation,
      releaseId: o.release.id,
      releaseName: o.release.name,
      namespace: o.release.namespace,
      tenantId: o.release.tenantId,
      tenantSlug: o.tenantSlug,
      chartName: o.release.chartName,
      fromVersion: o.fromVersion,
      toVersion: o.toVersion,
      revision: o.revision,
      status: o.ok ? "DEPLOYED" : "FAILED",
      batchId: o.batchId,
    },
  };
}
