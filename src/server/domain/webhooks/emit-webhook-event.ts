import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { WebhookEventType } from "@/contracts/webhooks";
import type { DbOrTx } from "@/server/db/client";

export interface WebhookEvent {
  type: WebhookEventType;
  /**
   * Whose event it is: a tenant's id (that tenant's webhooks and platform webhooks receive
   * it), null (platform webhooks only), or "every-tenant" for facts every tenant may read,
   * such as a chart published to the shared catalog.
   */
  tenantId: string | null | "every-tenant";
  /** Ids, names and versions only: never values, secrets, or another tenant's names. */
  data: Record<string, unknown>;
}

/**
 * Queues an event for every enabled webhook subscribed to it, in the caller's transaction:
 * the delivery exists exactly when the change it reports committed. One INSERT … SELECT
 * with a constant text (prepared once per connection), sent at the call so that callers can
 * pipeline it with their other writes; when nobody subscribes it inserts nothing and
 * reads one small table.
 */
export function emitWebhookEvent(tx: DbOrTx, event: WebhookEvent): Promise<unknown> {
  const everyTenant = event.tenantId === "every-tenant";
  const tenantId = everyTenant ? null : event.tenantId;
  // then() at once, not Promise.resolve(): the statement must be sent now, in the caller's order.
  return tx
    .execute(sql`
      insert into webhook_deliveries (webhook_id, event_id, event_type, payload)
      select w.id, ${randomUUID()}, ${event.type}, ${JSON.stringify(event.data)}::jsonb
      from webhooks w
      where w.enabled and ${event.type}::text = any(w.events)
        and (w.tenant_id is null or w.tenant_id = ${tenantId}::uuid or ${everyTenant}::boolean)`)
    .then(() => undefined);
}
