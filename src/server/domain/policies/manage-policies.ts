import { and, desc, eq, type SQL } from "drizzle-orm";
import type { CreatePolicyInput, PolicyView, UpdatePolicyInput } from "@/contracts/policies";
import type { Actor } from "@/server/auth/actor";
import { isUniqueViolation } from "@/server/db/errors";
import { tenants, upgradePolicies } from "@/server/db/schema";
import { isPlatformAdmin, tenantCondition } from "../access/rules";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { DomainContext } from "../context";
import { DomainError, forbidden, invalid, notFound } from "../errors";
import { findVisibleTenant } from "../tenants/list-tenants";
import { assertValidRange } from "./policy-target";
import { toPolicyView, type PolicyRow } from "./policy-view";

/** Platform admins manage every policy; a tenant-admin only its own tenant's; viewers none. */
function requirePolicyWriter(actor: Actor, tenantId: string | null): void {
  if (isPlatformAdmin(actor)) return;
  if (actor.role !== "tenant-admin") throw forbidden("a viewer may not manage upgrade policies");
  if (!tenantId || tenantId !== actor.tenantId) throw forbidden("a tenant-admin manages the upgrade policies of its own tenant only (give its slug as tenant)");
}

const slugOf = async (ctx: DomainContext, tenantId: string | null) => {
  if (!tenantId) return null;
  const [row] = await ctx.db.select({ slug: tenants.slug }).from(tenants).where(eq(tenants.id, tenantId));
  return row?.slug ?? null;
};

/** A tenant-scoped caller sees its own tenant's policies and no other: another's is not found. */
const visible = (actor: Actor, ...conditions: SQL[]) => and(tenantCondition(actor, upgradePolicies.tenantId), ...conditions);

export async function findVisiblePolicy(ctx: DomainContext, id: string): Promise<PolicyRow> {
  const [row] = await ctx.db.select().from(upgradePolicies).where(visible(ctx.actor, eq(upgradePolicies.id, id)));
  if (!row) throw notFound(`upgrade policy ${id}`);
  return row;
}

export async function listPolicies({ ctx }: { ctx: DomainContext }): Promise<PolicyView[]> {
  const rows = await ctx.db
    .select({ policy: upgradePolicies, slug: tenants.slug })
    .from(upgradePolicies)
    .leftJoin(tenants, eq(tenants.id, upgradePolicies.tenantId))
    .where(visible(ctx.actor))
    .orderBy(desc(upgradePolicies.createdAt), desc(upgradePolicies.id));
  return rows.map((r) => toPolicyView(r.policy, r.slug));
}

export async function getPolicy({ ctx, id }: { ctx: DomainContext; id: string }): Promise<PolicyView> {
  const row = await findVisiblePolicy(ctx, id);
  return toPolicyView(row, await slugOf(ctx, row.tenantId));
}

export async function createPolicy({ ctx, input }: { ctx: DomainContext; input: CreatePolicyInput }): Promise<PolicyView> {
  // A viewer is told no before anything about the tenant it named.
  if (ctx.actor.role === "viewer") requirePolicyWriter(ctx.actor, null);
  let tenantId: string | null = null;
  if (input.tenant) {
    const tenant = await findVisibleTenant(ctx.db, ctx.actor, input.tenant);
    if (!tenant) throw invalid([{ path: "tenant", message: "no such tenant" }]);
    tenantId = tenant.id;
  }
  requirePolicyWriter(ctx.actor, tenantId);
  assertValidRange(input.range);
  try {
    return await ctx.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(upgradePolicies)
        .values({
          chartName: input.chartName,
          tenantId,
          range: input.range,
          includePrerelease: input.includePrerelease,
          mode: input.mode,
          canary: input.canary ?? null,
          maxFailures: input.maxFailures ?? null,
          concurrency: input.concurrency,
          enabled: input.enabled,
          createdBy: ctx.actor.name,
        })
        .returning();
      await recordAuditEvent(tx, ctx, {
        action: "policy.create",
        targetType: "policy",
        targetId: row!.id,
        tenantId,
        summary: { chartName: input.chartName, tenant: input.tenant ?? null, range: input.range, mode: input.mode },
      });
      return toPolicyView(row!, input.tenant ?? null);
    });
  } catch (e) {
    if (isUniqueViolation(e)) {
      throw new DomainError("CONFLICT", input.tenant ? `tenant ${input.tenant} already has a policy for chart ${input.chartName}` : `chart ${input.chartName} already has a fleet-wide policy`);
    }
    throw e;
  }
}

export async function updatePolicy({ ctx, id, input }: { ctx: DomainContext; id: string; input: UpdatePolicyInput }): Promise<PolicyView> {
  const existing = await findVisiblePolicy(ctx, id);
  requirePolicyWriter(ctx.actor, existing.tenantId);
  if (input.range !== undefined) assertValidRange(input.range);
  const slug = await slugOf(ctx, existing.tenantId);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.update(upgradePolicies).set(input).where(eq(upgradePolicies.id, id)).returning();
    if (!row) throw notFound(`upgrade policy ${id}`);
    await recordAuditEvent(tx, ctx, { action: "policy.update", targetType: "policy", targetId: id, tenantId: row.tenantId, summary: { ...input } });
    return toPolicyView(row, slug);
  });
}

export async function deletePolicy({ ctx, id }: { ctx: DomainContext; id: string }): Promise<void> {
  const existing = await findVisiblePolicy(ctx, id);
  requirePolicyWriter(ctx.actor, existing.tenantId);
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.delete(upgradePolicies).where(eq(upgradePolicies.id, id)).returning({ chartName: upgradePolicies.chartName });
    if (!row) throw notFound(`upgrade policy ${id}`);
    await recordAuditEvent(tx, ctx, { action: "policy.delete", targetType: "policy", targetId: id, tenantId: existing.tenantId, summary: { chartName: row.chartName } });
  });
}
