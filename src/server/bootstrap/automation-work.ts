import { systemActor } from "@/server/auth/actor";
import type { Database } from "@/server/db/client";
import { syncDueRepositories } from "@/server/domain/repositories/sync-due-repositories";
import { log } from "@/server/observability/log";

const REPOSITORY_TICK_MS = 15_000;

/**
 * Chart repository syncs on their intervals (and, with the policies, their evaluation every
 * minute). Each tick claims its work through the database, so every instance may run this.
 * Returns the stop function; a tick in flight finishes on its own (its claims are short).
 */
export function startAutomationWork({ db, instanceId }: { db: Database; instanceId: string }): () => void {
  let busy = false;
  const tick = async () => {
    if (busy) return;
    busy = true;
    try {
      await syncDueRepositories({ ctx: { db, actor: systemActor("system:repository-sync") }, owner: instanceId });
    } catch (err) {
      log.error({ err }, "periodic repository sync failed");
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void tick(), REPOSITORY_TICK_MS);
  timer.unref();
  return () => clearInterval(timer);
}
