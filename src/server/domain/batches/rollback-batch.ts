import { and, eq, sql } from "drizzle-orm";
import { batches } from "@/server/db/schema";
import { requirePlatformAdmin } from "../access/rules";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { DomainContext } from "../context";
import { DomainError, notFound } from "../errors";
import { leaseExpiry } from "./batch-lease";
import { isFinished, type BatchRow } from "./batch-view";
import { commitBatchChange } from "./record-batch-event";

/**
 * Records a batch (kind rollback) that rolls every release the given batch upgraded back to
 * the revision it ran before (batch_items.from_revision). It runs like any batch: durable,
 * resumable, with progress; maintenance windows do not hold a rollback back. A batch is
 * rolled back once: a second request is a conflict, not a second round of revisions.
 */
export async function rollbackBatch({ ctx, batchId, claimFor }: { ctx: DomainContext; batchId: string; claimFor?: string }): Promise<BatchRow> {
  requirePlatformAdmin(ctx.actor, "roll back batches");
  return ctx.db.transaction(async (tx) => {
    const [original] = await tx.select().from(batches).where(eq(batches.id, batchId)).for("update");
    if (!original) throw notFound(`batch ${batchId}`);
    if (!isFinished(original.status)) throw new DomainError("CONFLICT", `batch ${batchId} is ${original.status}; only a finished batch can be rolled back (cancel it first)`);
    if (original.kind === "rollback") throw new DomainError("CONFLICT", `batch ${batchId} is itself a rollback; roll back the batch it undid instead, or upgrade again`);
    if (original.itemsUpgraded === 0) throw new DomainError("CONFLICT", `batch ${batchId} upgraded no release; there is nothing to roll back`);
    // The original row is locked, so two rollback requests cannot both pass this check.
    const [earlier] = await tx
      .select({ id: batches.id, status: batches.status })
      .from(batches)
      .where(and(eq(batches.rollbackOf, batchId), sql`${batches.status} <> 'CANCELLED'`))
      .limit(1);
    if (earlier) {
      throw new DomainError("CONFLICT", `batch ${batchId} was already rolled back by batch ${earlier.id} (${earlier.status})`, {
        extensions: { rollbackBatchId: earlier.id, rollbackLocation: `/api/v1/helm/batches/${earlier.id}` },
      });
    }
    const versions = await tx.execute(sql`select distinct coalesce(from_version, '?') as v from batch_items where batch_id = ${batchId} and status = 'UPGRADED' order by 1 limit 20`);
    const list = ((Array.isArray(versions) ? versions : (versions as { rows: unknown[] }).rows) as Array<{ v: string }>).map((r) => r.v).join(", ");
    const [batch] = await tx
      .insert(batches)
      .values({
        kind: "rollback",
        chartName: original.chartName,
        targetVersion: list,
        status: "QUEUED",
        options: { ignoreWindows: true, valuesStrategy: "reset-then-reuse", atomic: false, acknowledgeBreakingChanges: false, concurrency: original.options.concurrency ?? 1 },
        rollbackOf: batchId,
        tenantId: ctx.actor.tenantId,
        createdBy: ctx.actor.name,
        ...(claimFor ? { runnerId: claimFor, runnerLeaseExpiresAt: leaseExpiry() } : {}),
      })
      .returning();
    await tx.execute(sql`
      insert into batch_items (batch_id, position, release_id, tenant_id, tenant_position, wave, tenant_slug, release_name, namespace, from_version, from_revision, target_revision, status)
      select ${batch!.id}::uuid, (row_number() over (order by i.position) - 1)::int, i.release_id, i.tenant_id,
        (row_number() over (partition by i.tenant_id order by i.position))::int, i.wave, i.tenant_slug, i.release_name, i.namespace,
        r.chart_version, r.deployed_revision, i.from_revision, 'PENDING'
      from batch_items i join releases r on r.id = i.release_id
      where i.batch_id = ${batchId} and i.status = 'UPGRADED'`);
    const counted = sql`(select count(*) from batch_items where batch_id = ${batch!.id})`;
    const created = await commitBatchChange(tx, { batchId: batch!.id, set: { items_total: counted, items_pending: counted }, batchEvent: true });
    await recordAuditEvent(tx, ctx, { action: "batch.created", targetType: "batch", targetId: created.id, summary: { kind: "rollback", rollbackOf: batchId, items: created.itemsTotal } });
    return created;
  });
}
