import { and, eq } from "drizzle-orm";
import type { Actor } from "@/server/auth/actor";
import type { DbOrTx } from "@/server/db/client";
import { releases, tenants } from "@/server/db/schema";
import { tenantCondition } from "../access/rules";
import { notFound } from "../errors";
import type { TenantRow } from "../tenants/tenant-view";
import type { ReleaseRow } from "./views";

export type ReleaseWithTenant = { release: ReleaseRow; tenant: TenantRow };

/**
 * A release the actor may see, optionally locked for the rest of the transaction.
 * Another tenant's release is not found, exactly like one that does not exist.
 */
export async function findVisibleRelease(db: DbOrTx, actor: Actor, releaseId: string, options: { lock?: boolean } = {}): Promise<ReleaseWithTenant> {
  const query = db
    .select({ release: releases, tenant: tenants })
    .from(releases)
    .innerJoin(tenants, eq(tenants.id, releases.tenantId))
    .where(and(eq(releases.id, releaseId), tenantCondition(actor, releases.tenantId)));
  const [row] = options.lock ? await query.for("update", { of: releases }) : await query;
  if (!row) throw notFound(`release ${releaseId}`);
  return row;
}
