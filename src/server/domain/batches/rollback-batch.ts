import { and, asc, eq, sql } from "drizzle-orm";
import { batchItems, batches, releases } from "@/server/db/schema";
import { requirePlatformAdmin } from "../access/rules";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { DomainContext } from "../context";
import { DomainError, notFound } from "../errors";
import { isFinished, type BatchRow } from "./batch-view";
import { batchChanged } from "./record-batch-event";

/**
 * Records a batch (kind rollback) that rolls every release the given batch upgraded back to
 * the revision it ran before (batch_items.from_revision). It runs like any batch: durable,
 * resumable, with progress; maintenance windows do not hold a rollback back.
 */
export async function rollbackBatch({ ctx, batchId }: { ctx: DomainContext; batchId: string }): Promise<BatchRow> {
  requirePlatformAdmin(ctx.actor, "roll back batches");
  return ctx.db.transaction(async (tx) => {
    const [original] = await tx.select().from(batches).where(eq(batches.id, batchId)).for("update");
    if (!original) throw notFound(`batch ${batchId}`);
    if (!isFinished(original.status)) throw new DomainError("CONFLICT", `batch ${batchId} is ${original.status}; only a finished batch can be rolled back (cancel it first)`);
    const upgraded = await tx
      .select({ fromVersion: batchItems.fromVersion })
      .from(batchItems)
      .where(and(eq(batchItems.batchId, batchId), eq(batchItems.status, "UPGRADED")))
      .orderBy(asc(batchItems.position));
    if (upgraded.length === 0) throw new DomainError("CONFLICT", `batch ${batchId} upgraded no release; there is nothing to roll back`);
    const versions = [...new Set(upgraded.map((u) => u.fromVersion ?? "?"))].join(", ");
    const [batch] = await tx
      .insert(batches)
      .values({ kind: "rollback", chartName: original.chartName, targetVersion: versions, status: "QUEUED", options: { ignoreWindows: true, valuesStrategy: "reset-then-reuse", atomic: false, acknowledgeBreakingChanges: false }, rollbackOf: batchId, tenantId: ctx.actor.tenantId, createdBy: ctx.actor.name })
      .returning();
    await tx.execute(sql`
      insert into ${batchItems} (batch_id, position, release_id, tenant_slug, release_name, from_version, from_revision, status)
      select ${batch!.id}::uuid, (row_number() over (order by i.position) - 1)::int, i.release_id, i.tenant_slug, i.release_name, r.chart_version, r.deployed_revision, 'PENDING'
      from ${batchItems} i join ${releases} r on r.id = i.release_id
      where i.batch_id = ${batchId} and i.status = 'UPGRADED'`);
    await recordAuditEvent(tx, ctx, { action: "batch.created", targetType: "batch", targetId: batch!.id, summary: { kind: "rollback", rollbackOf: batchId, items: upgraded.length } });
    await batchChanged(tx, batch!);
    return batch!;
  });
}
