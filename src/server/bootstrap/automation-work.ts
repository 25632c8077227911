import { systemActor } from "@/server/auth/actor";
import type { Database } from "@/server/db/client";
import { evaluateDuePolicies } from "@/server/domain/policies/evaluate-policies";
import { syncDueRepositories } from "@/server/domain/repositories/sync-due-repositories";
import { log } from "@/server/observability/log";

/** How often this instance looks for due work; each repository and policy says itself when it is due. */
const TICK_MS = 15_000;

/** Runs `work` every TICK_MS, never twice at once; stop() waits (a bounded while) for a run in flight. */
function every(name: string, work: () => Promise<void>) {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running ??= work()
      .catch((err: unknown) => log.error({ err }, `${name} failed`))
      .finally(() => (running = undefined));
  }, TICK_MS);
  timer.unref();
  return async (waitMs: number) => {
    clearInterval(timer);
    if (running) await Promise.race([running, new Promise((resolve) => setTimeout(resolve, waitMs).unref())]);
  };
}

/**
 * Chart repository syncs on their intervals and upgrade policy evaluations every minute,
 * apart so that a slow repository never delays a policy. Each claims its work through the
 * database, so every instance may run this. Returns the stop function.
 */
export function startAutomationWork({ db, instanceId, wake }: { db: Database; instanceId: string; wake: () => void }): (waitMs: number) => Promise<void> {
  const stopSync = every("periodic repository sync", async () => {
    await syncDueRepositories({ ctx: { db, actor: systemActor("system:repository-sync") }, owner: instanceId });
  });
  const stopPolicies = every("periodic policy evaluation", async () => {
    const outcomes = await evaluateDuePolicies({ db, owner: instanceId, now: new Date() });
    if (outcomes.some((o) => o.kind === "batch")) wake();
  });
  return async (waitMs) => {
    await Promise.all([stopSync(waitMs), stopPolicies(waitMs)]);
  };
}
