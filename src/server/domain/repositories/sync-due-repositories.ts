import type { DomainContext } from "../context";
import { claimDueRepository } from "./repository-lease";
import { syncClaimedRepository, type SyncLimits } from "./sync-repository";

/**
 * The periodic sync of one instance: syncs repositories whose interval has passed, one at
 * a time, each under its database claim, so that instances sharing a database split the
 * work and never sync one repository twice. At most `max` per call, to leave the runner free.
 */
export async function syncDueRepositories({ ctx, owner, max = 10, limits }: { ctx: DomainContext; owner: string; max?: number; limits?: SyncLimits }): Promise<number> {
  let synced = 0;
  while (synced < max) {
    const repository = await claimDueRepository(ctx.db, owner);
    if (!repository) break;
    await syncClaimedRepository({ ctx, repository, owner, limits });
    synced++;
  }
  return synced;
}
