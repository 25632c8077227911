import { randomUUID } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
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
  return emitWebhookEvents(tx, [event]);
}

/** Several events in one statement (a batch step's releases), queued in this order. */
export function emitWebhookEvents(tx: DbOrTx, events: WebhookEvent[]): Promise<unknown> {
  // then() at once, not Promise.resolve(): the statement must be sent now, in the caller's order.
  return tx.execute(webhookInsert(events)).then(() => undefined);
}

/** The insert that queues these events, as a statement or as a part of another one (a batch step's change). */
export function webhookInsert(events: WebhookEvent[]): SQL {
  const rows = events.map((event, n) => ({
    n,
    event_id: randomUUID(),
    type: event.type,
    tenant_id: event.tenantId === "every-tenant" ? null : event.tenantId,
    every_tenant: event.tenantId === "every-tenant",
    data: event.data,
  }));
  return sql`
      insert into webhook_deliveries (webhook_id, event_id, event_type, payload)
      select w.id, e.event_id, e.type, e.data
      from json_to_recordset(${JSON.stringify(rows)}::json) as e(n int, event_id text, type text, tenant_id uuid, every_tenant boolean, data jsonb)
      join webhooks w on w.enabled and e.type = any(w.events) and (w.tenant_id is null or w.tenant_id = e.tenant_id or e.every_tenant)
      order by e.n, w.id`;
}
