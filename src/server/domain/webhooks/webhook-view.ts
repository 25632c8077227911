import { and, eq, type SQL } from "drizzle-orm";
import type { DeliveryView, WebhookView } from "@/contracts/webhooks";
import type { Actor } from "@/server/auth/actor";
import type { DbOrTx } from "@/server/db/client";
import { tenants, webhookDeliveries, webhooks } from "@/server/db/schema";
import { forbidden, notFound } from "../errors";

export type WebhookRow = typeof webhooks.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;

/** Webhooks are configuration: platform-admins manage all of them, tenant-admins their tenant's; viewers none. */
export function requireWebhookManager(actor: Actor): void {
  if (actor.role === "viewer") throw forbidden("a viewer may not manage webhooks");
  if (actor.role === "tenant-admin" && !actor.tenantId) throw forbidden("a tenant-admin without a tenant may not manage webhooks");
}

/** Tenancy in the WHERE clause: another tenant's webhook, and a platform webhook for a tenant-admin, are not found. */
export const visibleWebhooks = (actor: Actor): SQL | undefined => (actor.tenantId ? eq(webhooks.tenantId, actor.tenantId) : undefined);

export const webhookColumns = { webhook: webhooks, tenantSlug: tenants.slug };

export async function findVisibleWebhook(db: DbOrTx, actor: Actor, id: string, options: { lock?: boolean } = {}): Promise<{ webhook: WebhookRow; tenantSlug: string | null }> {
  const query = db
    .select(webhookColumns)
    .from(webhooks)
    .leftJoin(tenants, eq(tenants.id, webhooks.tenantId))
    .where(and(eq(webhooks.id, id), visibleWebhooks(actor)));
  const [row] = options.lock ? await query.for("update", { of: webhooks }) : await query;
  if (!row) throw notFound(`webhook ${id}`);
  return row;
}

export const toWebhookView = ({ webhook, tenantSlug }: { webhook: WebhookRow; tenantSlug: string | null }): WebhookView => ({
  id: webhook.id,
  url: webhook.url,
  events: webhook.events as WebhookView["events"],
  tenant: tenantSlug,
  enabled: webhook.enabled,
  createdBy: webhook.createdBy,
  createdAt: webhook.createdAt.toISOString(),
});

export const toDeliveryView = (d: DeliveryRow): DeliveryView => ({
  id: d.id,
  event: d.eventType,
  eventId: d.eventId,
  status: d.status,
  attempts: d.attempts,
  responseStatus: d.responseStatus,
  lastError: d.lastError,
  createdAt: d.createdAt.toISOString(),
  nextAttemptAt: d.status === "PENDING" ? d.nextAttemptAt.toISOString() : null,
  deliveredAt: d.deliveredAt?.toISOString() ?? null,
});

/** What audit summaries say of a URL: its origin only, since paths and queries often carry a receiver's token. */
export const urlForAudit = (url: string) => new URL(url).origin;
