import { and, eq, inArray, sql } from "drizzle-orm";
import { batchUpgradeInput } from "@/contracts/batches";
import { systemActor } from "@/server/auth/actor";
import type { Database } from "@/server/db/client";
import { sqlState } from "@/server/db/errors";
import { batches, releases, upgradePolicies } from "@/server/db/schema";
import { emitWebhookEvent } from "../webhooks/emit-webhook-event";
import { recordAuditEvent } from "../audit/record-audit-event";
import { startBatchUpgrade } from "../batches/start-batch-upgrade";
import type { DomainContext } from "../context";
import { belowTarget, governedBy, releasesByWindow } from "./policy-releases";
import { findPolicyTarget } from "./policy-target";
import type { PolicyRow } from "./policy-view";

const UNFINISHED = ["QUEUED", "RUNNING", "PAUSED"] as const;

export type PolicyOutcome =
  | { kind: "idle"; reason: string }
  | { kind: "waiting"; targetVersion: string; outsideWindow: number }
  | { kind: "busy"; batchId: string | null }
  | { kind: "batch"; batchId: string; targetVersion: string; items: number; outsideWindow: number }
  | { kind: "notified"; targetVersion: string; releases: number };

/** Policies act as themselves: batches and audit events name `policy:<id>`. */
export const policyActor = (policyId: string) => systemActor(`policy:${policyId}`);

/**
 * Evaluates one policy at `now` (injected, so that tests can open maintenance windows).
 * `auto`: one batch of the releases below the target whose tenant's window is open, unless
 * a batch of the policy is unfinished; the others wait for a later evaluation. `notify`:
 * announces each target once (policy.upgrade-available). Whatever happens is decided by
 * the database, not by this process: a second unfinished batch violates a unique index,
 * and an announcement is a conditional update.
 */
export async function evaluatePolicy({ db, policy, now, requestId }: { db: Database; policy: PolicyRow; now: Date; requestId?: string }): Promise<PolicyOutcome> {
  const ctx: DomainContext = { db, actor: policyActor(policy.id), requestId };
  const touch = () => db.update(upgradePolicies).set({ lastEvaluatedAt: now }).where(eq(upgradePolicies.id, policy.id));
  if (!policy.enabled) return { kind: "idle", reason: "disabled" };
  const target = await findPolicyTarget(db, policy);
  if (!target) {
    await touch();
    return { kind: "idle", reason: "no published version in range" };
  }
  const counts = await releasesByWindow(db, belowTarget(policy, target), now);
  if (counts.total === 0) {
    await touch();
    return { kind: "idle", reason: `every release runs ${target} or later` };
  }
  if (policy.mode === "notify") return notify(ctx, policy, target, counts.total, now);

  const [unfinished] = await db
    .select({ id: batches.id })
    .from(batches)
    .where(and(eq(batches.policyId, policy.id), inArray(batches.status, UNFINISHED)))
    .limit(1);
  if (unfinished) {
    await touch();
    return { kind: "busy", batchId: unfinished.id };
  }
  if (counts.inWindow === 0) {
    await touch();
    return { kind: "waiting", targetVersion: target, outsideWindow: counts.outsideWindow };
  }
  let batchId: string;
  let items: number;
  try {
    const batch = await startBatchUpgrade({
      ctx,
      // The policy chose the releases whose window is open now; the batch runs them without asking again.
      input: batchUpgradeInput.parse({
        chartName: policy.chartName,
        targetVersion: target,
        ignoreWindows: true,
        concurrency: policy.concurrency,
        ...(policy.canary ? { canary: policy.canary } : {}),
        ...(policy.maxFailures ? { maxFailures: policy.maxFailures } : {}),
      }),
      policy: { id: policy.id, conditions: [governedBy(policy), inArray(releases.tenantId, counts.openTenantIds)] },
    });
    batchId = batch.id;
    items = batch.itemsTotal;
  } catch (e) {
    // Another evaluation (another instance, or a publish) queued the policy's batch first.
    if (sqlState(e) === "23505") return { kind: "busy", batchId: null };
    throw e;
  }
  await db.transaction(async (tx) => {
    await tx.update(upgradePolicies).set({ lastEvaluatedAt: now, lastBatchId: batchId }).where(eq(upgradePolicies.id, policy.id));
    await recordAuditEvent(tx, ctx, {
      action: "policy.upgrade-started",
      targetType: "policy",
      targetId: policy.id,
      tenantId: policy.tenantId,
      summary: { chartName: policy.chartName, targetVersion: target, batchId, items, outsideWindow: counts.outsideWindow },
    });
  });
  return { kind: "batch", batchId, targetVersion: target, items, outsideWindow: counts.outsideWindow };
}

async function notify(ctx: DomainContext, policy: PolicyRow, target: string, total: number, now: Date): Promise<PolicyOutcome> {
  return ctx.db.transaction(async (tx) => {
    const [announced] = await tx
      .update(upgradePolicies)
      .set({ lastNotifiedVersion: target, lastEvaluatedAt: now })
      .where(and(eq(upgradePolicies.id, policy.id), sql`${upgradePolicies.lastNotifiedVersion} is distinct from ${target}`))
      .returning({ id: upgradePolicies.id });
    if (!announced) {
      await tx.update(upgradePolicies).set({ lastEvaluatedAt: now }).where(eq(upgradePolicies.id, policy.id));
      return { kind: "idle", reason: `${target} was announced already` } as const;
    }
    await recordAuditEvent(tx, ctx, {
      action: "policy.upgrade-available",
      targetType: "policy",
      targetId: policy.id,
      tenantId: policy.tenantId,
      summary: { chartName: policy.chartName, targetVersion: target, releases: total },
    });
    // A fleet policy's notice goes to platform webhooks only: its count spans every tenant.
    await emitWebhookEvent(tx, {
      type: "policy.upgrade-available",
      tenantId: policy.tenantId,
      data: { policyId: policy.id, chartName: policy.chartName, range: policy.range, targetVersion: target, releases: total },
    });
    return { kind: "notified", targetVersion: target, releases: total } as const;
  });
}
