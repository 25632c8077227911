import { and, eq, ne, sql } from "drizzle-orm";
import type { JsonObject } from "@/contracts/common";
import type { DbOrTx } from "@/server/db/client";
import { releases, revisions } from "@/server/db/schema";
import { requestsOf, sumRequests, type Requests } from "./tenant-capacity";

/**
 * What a tenant's releases request while they run, except one release (the one about to
 * change). Reads only the two value paths that count, not whole value trees.
 */
export async function loadTenantRequests(db: DbOrTx, tenantId: string, exceptReleaseId: string): Promise<Requests> {
  const rows = await db
    .select({
      replicaCount: sql<JsonObject[string]>`${revisions.values} -> 'replicaCount'`,
      resources: sql<JsonObject[string]>`${revisions.values} -> 'resources'`,
    })
    .from(releases)
    .innerJoin(revisions, and(eq(revisions.releaseId, releases.id), eq(revisions.revision, releases.deployedRevision)))
    .where(and(eq(releases.tenantId, tenantId), ne(releases.id, exceptReleaseId)));
  return sumRequests(rows.map((r) => requestsOf({ replicaCount: r.replicaCount ?? null, resources: r.resources ?? null })));
}
