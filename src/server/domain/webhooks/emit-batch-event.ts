import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { WebhookEventType } from "@/contracts/webhooks";
import type { DbOrTx } from "@/server/db/client";
import { endStatusSql } from "../batches/batch-view";

export type BatchWebhookEvent = Extract<WebhookEventType, "batch.started" | "batch.paused" | "batch.finished">;

const counts = (alias: string) =>
  sql.raw(
    `jsonb_build_object('total', ${alias}.total, 'pending', ${alias}.pending, 'upgraded', ${alias}.upgraded, 'failed', ${alias}.failed, 'skipped', ${alias}.skipped, 'cancelled', ${alias}.cancelled)`,
  );

/**
 * Queues a batch event, read from the batch row as the caller's transaction left it (send
 * it after the change). Platform webhooks get the batch's counts; a tenant webhook gets
 * its own copy only if the batch touches its tenant, with that tenant's counts alone, so a
 * fleet-wide batch never tells one tenant about another. Each copy has its own event id
 * (derived, so every webhook of one tenant sees the same one).
 */
export function emitBatchEvent(tx: DbOrTx, type: BatchWebhookEvent, batchId: string): Promise<unknown> {
  const eventId = randomUUID();
  return tx
    .execute(sql`
      insert into webhook_deliveries (webhook_id, event_id, event_type, payload)
      select w.id,
        case when w.tenant_id is null then ${eventId} else md5(${eventId} || w.tenant_id::text)::uuid::text end,
        ${type},
        jsonb_build_object('batchId', b.id, 'kind', b.kind, 'chartName', b.chart_name, 'targetVersion', b.target_version,
          -- A tenant's copy ends as its own counts say (statusInView in batch-view.ts): never PARTIALLY_FAILED next to 0 failed.
          'status', case when w.tenant_id is null or b.status not in ('SUCCEEDED', 'PARTIALLY_FAILED', 'FAILED') then b.status
            else ${endStatusSql(sql`t.failed`, sql`t.upgraded`)} end,
          'counts', case when w.tenant_id is null then ${counts("p")} else ${counts("t")} end)
      from batches b
      cross join lateral (select b.items_total as total, b.items_pending as pending, b.items_upgraded as upgraded, b.items_failed as failed, b.items_skipped as skipped, b.items_cancelled as cancelled) p
      join webhooks w on w.enabled and ${type}::text = any(w.events)
      left join lateral (
        select count(*)::int as total,
          count(*) filter (where i.status in ('PENDING', 'RUNNING'))::int as pending,
          count(*) filter (where i.status = 'UPGRADED')::int as upgraded,
          count(*) filter (where i.status = 'FAILED')::int as failed,
          count(*) filter (where i.status in ('SKIPPED', 'CANCELLED'))::int as skipped,
          count(*) filter (where i.status = 'CANCELLED')::int as cancelled
        from batch_items i
        where w.tenant_id is not null and i.batch_id = b.id and i.tenant_id = w.tenant_id
      ) t on true
      where b.id = ${batchId} and (w.tenant_id is null or t.total > 0)`)
    .then(() => undefined);
}
