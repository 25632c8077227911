import { and, eq } from "drizzle-orm";
import type { TenantView } from "@/contracts/tenants";
import { tenants } from "@/server/db/schema";
import { tenantCondition } from "../access/rules";
import type { DomainContext } from "../context";
import { notFound } from "../errors";
import { toTenantView } from "./tenant-view";

/** One tenant by id, as the list shows it: another tenant's is simply not found. */
export async function getTenant({ ctx, tenantId }: { ctx: DomainContext; tenantId: string }): Promise<TenantView> {
  const [row] = await ctx.db
    .select()
    .from(tenants)
    .where(and(eq(tenants.id, tenantId), tenantCondition(ctx.actor, tenants.id)));
  if (!row) throw notFound(`tenant ${tenantId}`);
  return toTenantView(row);
}
