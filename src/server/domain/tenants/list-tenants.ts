import { asc, eq, or } from "drizzle-orm";
import type { TenantView } from "@/contracts/tenants";
import type { Actor } from "@/server/auth/actor";
import type { DbOrTx } from "@/server/db/client";
import { tenants } from "@/server/db/schema";
import { tenantCondition } from "../access/rules";
import type { DomainContext } from "../context";
import { toTenantView, type TenantRow } from "./tenant-view";
import { idSchema } from "@/contracts/common";

/** Tenants the actor may see, by slug. */
export async function listTenants({ ctx }: { ctx: DomainContext }): Promise<TenantView[]> {
  const rows = await ctx.db.select().from(tenants).where(tenantCondition(ctx.actor, tenants.id)).orderBy(asc(tenants.slug));
  return rows.map(toTenantView);
}

/**
 * A tenant named by id or slug (query parameters accept both), if the actor may see it.
 * Unknown and invisible are the same answer: undefined.
 */
export async function findVisibleTenant(db: DbOrTx, actor: Actor, idOrSlug: string): Promise<TenantRow | undefined> {
  const byId = idSchema.safeParse(idOrSlug).success;
  const [row] = await db
    .select()
    .from(tenants)
    .where(byId ? or(eq(tenants.id, idOrSlug), eq(tenants.slug, idOrSlug)) : eq(tenants.slug, idOrSlug))
    .limit(1);
  if (!row || (actor.tenantId && actor.tenantId !== row.id)) return undefined;
  return row;
}
