import { setTimeout as sleep } from "node:timers/promises";
import { and, asc, count, desc, eq, gte, inArray, sql } from "drizzle-orm";
import { PENDING_STATUSES, type ReleaseWithRevision } from "@/contracts/releases";
import type { Actor } from "@/server/auth/actor";
import type { Database, Transaction } from "@/server/db/client";
import { batchItems, batches, releases, revisions, tenants } from "@/server/db/schema";
import type { DeployDriver } from "@/server/deploy/driver";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { DomainContext } from "../context";
import { DomainError } from "../errors";
import { reclaimAbandonedOperation } from "../releases/release-operation";
import { rollbackRelease } from "../releases/rollback-release";
import { upgradeRelease } from "../releases/upgrade-release";
import { describeWindow, isInsideWindow } from "../tenants/maintenance-window";
import { semverSortKey } from "../versions/semver";
import { keepBatchLease, releaseBatchLease } from "./batch-lease";
import { countItems, type BatchItemRow, type BatchRow } from "./batch-view";
import { batchChanged, itemChanged } from "./record-batch-event";

export interface RunBatchArgs {
  db: Database;
  batchId: string;
  runnerId: string;
  driver?: DeployDriver;
  /** Aborted when the runner stops: the batch halts after the item in flight. */
  signal?: AbortSignal;
}

type Outcome = { status: "UPGRADED" | "FAILED" | "CANCELLED"; revision: number | null; error: string | null };
type Step = { kind: "stop" } | { kind: "item"; batch: BatchRow; item: BatchItemRow; resumed: boolean; cancelled?: boolean };

/** Upgrades run as the batch's creator, so revisions and audit name who asked for them. */
const batchActor = (batch: BatchRow): Actor => ({ kind: "system", id: `batch:${batch.id}`, name: batch.createdBy, role: "platform-admin", tenantId: batch.tenantId });
const systemCtx = (db: Database, batch: BatchRow, driver?: DeployDriver): DomainContext => ({ db, actor: batchActor(batch), driver, requestId: `batch:${batch.id}` });
const auditAs = (batch: BatchRow) => ({ actor: batchActor(batch), requestId: `batch:${batch.id}` });

/** The batch, locked, if this runner still holds it: every write of a runner is conditional on its claim. */
async function lockOwnedBatch(tx: Transaction, batchId: string, runnerId: string): Promise<BatchRow | undefined> {
  const [batch] = await tx
    .select()
    .from(batches)
    .where(and(eq(batches.id, batchId), eq(batches.runnerId, runnerId)))
    .for("update");
  return batch;
}

async function skipReason(tx: Transaction, batch: BatchRow, item: BatchItemRow): Promise<{ reason: string; tenantId: string | null } | null> {
  if (batch.kind === "rollback") return null;
  const [row] = await tx
    .select({ tenantId: releases.tenantId, status: releases.status, chartVersion: releases.chartVersion, versionSort: releases.versionSort, slug: tenants.slug, window: tenants.maintenanceWindow })
    .from(releases)
    .innerJoin(tenants, eq(tenants.id, releases.tenantId))
    .where(eq(releases.id, item.releaseId));
  const skip = (reason: string) => ({ reason, tenantId: row?.tenantId ?? null });
  if (!row || row.status === "UNINSTALLED") return skip("the release is uninstalled");
  // Someone upgraded it by hand since the batch was recorded: nothing left to do.
  if (row.versionSort !== null && row.versionSort >= semverSortKey(batch.targetVersion)) return skip(`already runs ${row.chartVersion}`);
  if (!batch.options.ignoreWindows && row.window && !isInsideWindow(row.window, new Date())) {
    return skip(`outside the maintenance window of tenant ${row.slug} (${describeWindow(row.window)}); set ignoreWindows to upgrade anyway`);
  }
  return null;
}

async function finalize(tx: Transaction, batch: BatchRow): Promise<void> {
  const rows = await tx.select({ status: batchItems.status, n: count() }).from(batchItems).where(eq(batchItems.batchId, batch.id)).groupBy(batchItems.status);
  const counts = countItems(rows.map((r) => ({ status: r.status, n: Number(r.n) })));
  const status = counts.failed === 0 ? "SUCCEEDED" : counts.upgraded > 0 ? "PARTIALLY_FAILED" : "FAILED";
  const [done] = await tx.update(batches).set({ status, finishedAt: sql`now()` }).where(eq(batches.id, batch.id)).returning();
  await batchChanged(tx, done!);
  await recordAuditEvent(tx, auditAs(batch), { action: "batch.finished", targetType: "batch", targetId: batch.id, summary: { status, counts } });
}

/**
 * After an item settles: stop on maxFailures (the rest become SKIPPED) and pause after the
 * canary items. Tied to the item that triggers it, so a resumed batch never pauses twice.
 */
async function afterItem(tx: Transaction, batch: BatchRow, item: BatchItemRow): Promise<BatchRow> {
  const { maxFailures, canary } = batch.options;
  if (batch.status !== "RUNNING") return batch;
  if (item.status === "FAILED" && maxFailures !== undefined) {
    const [{ failed } = { failed: 0 }] = await tx
      .select({ failed: count() })
      .from(batchItems)
      .where(and(eq(batchItems.batchId, batch.id), eq(batchItems.status, "FAILED")));
    if (Number(failed) >= maxFailures) {
      const skipped = await tx
        .update(batchItems)
        .set({ status: "SKIPPED", error: `not attempted: the batch halted after ${maxFailures} failure${maxFailures === 1 ? "" : "s"} (maxFailures)`, finishedAt: sql`now()` })
        .where(and(eq(batchItems.batchId, batch.id), eq(batchItems.status, "PENDING")))
        .returning();
      for (const s of skipped.sort((a, b) => a.position - b.position)) await itemChanged(tx, s);
      return batch;
    }
  }
  if (canary !== undefined && item.position === canary - 1) {
    const [rest] = await tx
      .select({ position: batchItems.position })
      .from(batchItems)
      .where(and(eq(batchItems.batchId, batch.id), eq(batchItems.status, "PENDING")))
      .limit(1);
    if (rest) {
      const [paused] = await tx.update(batches).set({ status: "PAUSED" }).where(eq(batches.id, batch.id)).returning();
      await batchChanged(tx, paused!);
      await recordAuditEvent(tx, auditAs(batch), { action: "batch.paused", targetType: "batch", targetId: batch.id, summary: { reason: `canary: the first ${canary} processed` } });
      return paused!;
    }
  }
  return batch;
}

/**
 * Picks the next item and marks it RUNNING (skipping those outside their window), or finishes
 * the batch. Items settle in order, so the search starts at the last one seen: a range scan
 * on the primary key, never a rescan of the settled ones (100k items).
 */
async function nextStep(db: Database, batchId: string, runnerId: string, from: number): Promise<Step> {
  return db.transaction(async (tx) => {
    let batch = await lockOwnedBatch(tx, batchId, runnerId);
    if (!batch) return { kind: "stop" };
    if (batch.status === "QUEUED") {
      [batch] = await tx.update(batches).set({ status: "RUNNING", startedAt: sql`coalesce(${batches.startedAt}, now())` }).where(eq(batches.id, batchId)).returning();
      await batchChanged(tx, batch!);
      await recordAuditEvent(tx, auditAs(batch!), { action: "batch.started", targetType: "batch", targetId: batchId, summary: { runnerId } });
    }
    if (batch!.status === "CANCELLED") {
      // Cancelled while a dead runner was mid-item: settle that item, start nothing.
      const [left] = await tx
        .select()
        .from(batchItems)
        .where(and(eq(batchItems.batchId, batchId), eq(batchItems.status, "RUNNING")))
        .limit(1);
      return left ? { kind: "item", batch: batch!, item: left, resumed: true, cancelled: true } : { kind: "stop" };
    }
    let cursor = from;
    for (;;) {
      if (batch!.status !== "RUNNING") return { kind: "stop" };
      const [item] = await tx
        .select()
        .from(batchItems)
        .where(and(eq(batchItems.batchId, batchId), gte(batchItems.position, cursor), inArray(batchItems.status, ["PENDING", "RUNNING"])))
        .orderBy(asc(batchItems.position))
        .limit(1);
      if (!item) {
        await finalize(tx, batch!);
        return { kind: "stop" };
      }
      cursor = item.position;
      if (item.status === "RUNNING") return { kind: "item", batch: batch!, item, resumed: true };
      const skip = await skipReason(tx, batch!, item);
      const [updated] = await tx
        .update(batchItems)
        .set(skip ? { status: "SKIPPED", error: skip.reason, finishedAt: sql`now()` } : { status: "RUNNING", startedAt: sql`now()` })
        .where(and(eq(batchItems.batchId, batchId), eq(batchItems.position, item.position)))
        .returning();
      await itemChanged(tx, updated!);
      if (!skip) return { kind: "item", batch: batch!, item: updated!, resumed: false };
      // A skipped release gets no revision, so this is its only trace in the tenant's audit log.
      await recordAuditEvent(tx, auditAs(batch!), {
        action: "batch.item.skipped",
        targetType: "release",
        targetId: item.releaseId,
        releaseId: item.releaseId,
        tenantId: skip.tenantId,
        summary: { batchId, reason: skip.reason },
      });
      batch = await afterItem(tx, batch!, updated!);
    }
  });
}

const outcomeOf = (r: Pick<ReleaseWithRevision["revision"], "status" | "revision" | "error">): Outcome =>
  r.status === "FAILED" ? { status: "FAILED", revision: r.revision, error: r.error } : { status: "UPGRADED", revision: r.revision, error: null };

class Interrupted extends Error {}

/**
 * An item found RUNNING was being processed when its runner died. If this batch already
 * recorded a revision for the release, its result is the item's result: the release is
 * never upgraded twice. A pending one is waited for (its lease resolves it); one that was
 * abandoned never reached a driver result, so the item runs again.
 */
async function reconcile(args: RunBatchArgs, batch: BatchRow, item: BatchItemRow, stillOurs: () => boolean): Promise<Outcome | null> {
  const operation = batch.kind === "upgrade" ? "upgrade" : "rollback";
  for (;;) {
    const [revision] = await args.db
      .select()
      .from(revisions)
      .where(and(eq(revisions.releaseId, item.releaseId), eq(revisions.batchId, batch.id), eq(revisions.operation, operation)))
      .orderBy(desc(revisions.revision))
      .limit(1);
    if (!revision) return null;
    if ((PENDING_STATUSES as readonly string[]).includes(revision.status)) {
      if (await reclaimAbandonedOperation(systemCtx(args.db, batch), item.releaseId)) continue;
      if (!stillOurs() || args.signal?.aborted) throw new Interrupted();
      await sleep(1000);
      continue;
    }
    if (revision.status === "FAILED" && revision.error?.startsWith("abandoned:")) return null;
    return outcomeOf(revision);
  }
}

async function attempt(args: RunBatchArgs, batch: BatchRow, item: BatchItemRow): Promise<Outcome> {
  const ctx = systemCtx(args.db, batch, args.driver);
  try {
    if (batch.kind === "upgrade") {
      const { valuesOverride, valuesStrategy, description, atomic, acknowledgeBreakingChanges, appVersion } = batch.options;
      const result = await upgradeRelease({
        ctx,
        input: { releaseId: item.releaseId, chartVersion: batch.targetVersion, valuesOverride, valuesStrategy, description, atomic, acknowledgeBreakingChanges, appVersion },
        batchId: batch.id,
      });
      return outcomeOf(result.revision);
    }
    const [original] = await args.db
      .select({ fromRevision: batchItems.fromRevision })
      .from(batchItems)
      .where(and(eq(batchItems.batchId, batch.rollbackOf!), eq(batchItems.releaseId, item.releaseId)));
    if (!original?.fromRevision) return { status: "FAILED", revision: null, error: "the release had no deployed revision before the batch" };
    const result = await rollbackRelease({ ctx, input: { releaseId: item.releaseId, revision: original.fromRevision }, batchId: batch.id });
    return outcomeOf(result.revision);
  } catch (e) {
    // A refusal (failing check, operation in progress …) is this item's failure, not the batch's.
    if (e instanceof DomainError) return { status: "FAILED", revision: null, error: e.message };
    throw e;
  }
}

async function recordOutcome(args: RunBatchArgs, item: BatchItemRow, outcome: Outcome): Promise<boolean> {
  return args.db.transaction(async (tx) => {
    const batch = await lockOwnedBatch(tx, args.batchId, args.runnerId);
    if (!batch) return false;
    const [updated] = await tx
      .update(batchItems)
      .set({ status: outcome.status, revision: outcome.revision, error: outcome.error, finishedAt: sql`now()` })
      .where(and(eq(batchItems.batchId, args.batchId), eq(batchItems.position, item.position), eq(batchItems.status, "RUNNING")))
      .returning();
    if (!updated) return true;
    await itemChanged(tx, updated);
    await afterItem(tx, batch, updated);
    return true;
  });
}

/**
 * Runs a claimed batch item by item until it ends, pauses, is cancelled, the claim is lost
 * or the runner stops. The caller must hold the batch's lease (see claimBatch).
 */
export async function runBatch(args: RunBatchArgs): Promise<void> {
  let lost = false;
  const stopLease = keepBatchLease(args.db, args.batchId, args.runnerId, () => (lost = true));
  let from = 0;
  try {
    while (!lost && !args.signal?.aborted) {
      const step = await nextStep(args.db, args.batchId, args.runnerId, from);
      if (step.kind === "stop") break;
      from = step.item.position;
      let outcome: Outcome | null = null;
      try {
        if (step.resumed) outcome = await reconcile(args, step.batch, step.item, () => !lost);
      } catch (e) {
        if (e instanceof Interrupted) break;
        throw e;
      }
      if (step.cancelled) outcome ??= { status: "CANCELLED", revision: null, error: "the batch was cancelled before this release was processed" };
      outcome ??= await attempt(args, step.batch, step.item);
      if (!(await recordOutcome(args, step.item, outcome))) break;
    }
  } finally {
    stopLease();
    await releaseBatchLease(args.db, args.batchId, args.runnerId).catch((e) => console.error(`helmdeck: could not release batch ${args.batchId}`, e));
  }
}
