import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Database } from "@/server/db/client";
import type { DeployDriver } from "@/server/deploy/driver";
import { claimBatch } from "@/server/domain/batches/batch-lease";
import { runBatch } from "@/server/domain/batches/run-batch";
import { log } from "@/server/observability/log";
import { wakeablePause } from "./wakeable-pause";

export interface BatchRunner {
  readonly runnerId: string;
  /** Looks for work now rather than at the next poll (e.g. right after a batch was queued). */
  wake(): void;
  /** Lets batches in flight finish their current items, then gives them back to the database. */
  stop(): Promise<void>;
}

/**
 * The background worker of one app instance: claims runnable batches through the database
 * and runs them. Any number of instances may run one; the claim keeps each batch to one.
 * It looks for work every `pollMs` (a batch queued by another instance, or one whose
 * runner died) and at once when woken by its own instance.
 */
export function startBatchRunner({
  db,
  driver,
  pollMs = 1000,
  maxConcurrent = 4,
  stopTimeoutMs = 10_000,
}: {
  db: Database;
  driver?: DeployDriver;
  pollMs?: number;
  maxConcurrent?: number;
  stopTimeoutMs?: number;
}): BatchRunner {
  const runnerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const abort = new AbortController();
  const running = new Map<string, Promise<void>>();
  const idle = wakeablePause();

  const loop = (async () => {
    while (!abort.signal.aborted) {
      try {
        while (running.size < maxConcurrent && !abort.signal.aborted) {
          const batch = await claimBatch(db, runnerId);
          if (!batch) break;
          const run = runBatch({ db, batchId: batch.id, runnerId, driver, signal: abort.signal })
            .catch((e) => log.error({ err: e, batchId: batch.id }, "batch stopped on an error; another claim will resume it"))
            .finally(() => {
              running.delete(batch.id);
              idle.wake();
            });
          running.set(batch.id, run);
        }
      } catch (e) {
        log.error({ err: e }, "batch runner could not claim work");
      }
      await idle.pause(pollMs);
    }
  })();

  return {
    runnerId,
    wake: idle.wake,
    async stop() {
      abort.abort();
      idle.wake();
      const timeout = new Promise((resolve) => setTimeout(resolve, stopTimeoutMs).unref());
      await Promise.race([Promise.all([loop, ...running.values()]), timeout]);
    },
  };
}
