import { eq } from "drizzle-orm";
import type { MeView } from "@/contracts/users";
import { tenants } from "@/server/db/schema";
import type { DomainContext } from "../context";

/** The caller as the UI shows it (`auth.me`): who, which role, which tenant. */
export async function describeActor({ ctx }: { ctx: DomainContext }): Promise<MeView> {
  const { actor } = ctx;
  const [tenant] = actor.tenantId ? await ctx.db.select({ slug: tenants.slug }).from(tenants).where(eq(tenants.id, actor.tenantId)) : [];
  return { kind: actor.kind, id: actor.id, name: actor.name, role: actor.role, tenantId: actor.tenantId, tenantSlug: tenant?.slug ?? null };
}
