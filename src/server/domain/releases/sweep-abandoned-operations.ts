import { and, isNotNull, lt, sql } from "drizzle-orm";
import { releases } from "@/server/db/schema";
import type { DomainContext } from "../context";
import { reclaimAbandonedOperation } from "./release-operation";

/**
 * Marks FAILED every pending operation whose lease has expired, so that a release whose
 * operator died is not left pending until someone touches it. Returns how many it reclaimed.
 */
export async function sweepAbandonedOperations({ ctx, limit = 100 }: { ctx: DomainContext; limit?: number }): Promise<number> {
  const stale = await ctx.db
    .select({ id: releases.id })
    .from(releases)
    .where(and(isNotNull(releases.pendingRevision), lt(releases.leaseExpiresAt, sql`now()`)))
    .limit(limit);
  let reclaimed = 0;
  for (const { id } of stale) if (await reclaimAbandonedOperation(ctx, id)) reclaimed++;
  return reclaimed;
}
