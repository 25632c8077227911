import type { CreateTenantInput, TenantView } from "@/contracts/tenants";
import { tenants } from "@/server/db/schema";
import { isUniqueViolation } from "@/server/db/errors";
import { requirePlatformAdmin } from "../access/rules";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { DomainContext } from "../context";
import { DomainError } from "../errors";
import { toTenantView } from "./tenant-view";

export async function createTenant({ ctx, input }: { ctx: DomainContext; input: CreateTenantInput }): Promise<TenantView> {
  requirePlatformAdmin(ctx.actor, "create tenants");
  try {
    return await ctx.db.transaction(async (tx) => {
      const [row] = await tx
        .insert(tenants)
        .values({
          slug: input.slug,
          name: input.name,
          environment: input.environment,
          maintenanceWindow: input.maintenanceWindow ?? null,
          quota: input.quota ?? null,
          kubeContext: input.kubeContext ?? null,
        })
        .returning();
      await recordAuditEvent(tx, ctx, { action: "tenant.create", targetType: "tenant", targetId: row!.id, tenantId: row!.id, summary: { slug: row!.slug, environment: row!.environment } });
      return toTenantView(row!);
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new DomainError("CONFLICT", `a tenant with slug "${input.slug}" already exists`);
    throw e;
  }
}
