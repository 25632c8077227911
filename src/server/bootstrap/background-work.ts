import { env } from "@/env";
import { systemActor } from "@/server/auth/actor";
import { getDb } from "@/server/db/client";
import { startBatchRunner, type BatchRunner } from "./batch-runner";
import { sweepAbandonedOperations } from "@/server/domain/releases/sweep-abandoned-operations";
import { onShutdown, shutdownSignal } from "./server-lifecycle";

const SWEEP_INTERVAL_MS = 15_000;
const INLINE_ANSWER_GRACE_MS = 500;
const globalForWork = globalThis as unknown as { helmdeckBatchRunner?: BatchRunner; helmdeckInlineBatches?: Set<Promise<unknown>> };
const inlineBatches = () => (globalForWork.helmdeckInlineBatches ??= new Set());

/**
 * The server process's background work: the batch runner and the sweep of abandoned
 * operations. Both stop through onShutdown, before the database closes, so that a clean
 * stop hands running batches back at once instead of waiting for their leases.
 */
export async function startBackgroundWork(): Promise<void> {
  if (!env().HELMDECK_BATCH_RUNNER || globalForWork.helmdeckBatchRunner) return;
  const db = await getDb();
  const runner = startBatchRunner({ db });
  globalForWork.helmdeckBatchRunner = runner;
  const sweep = setInterval(() => {
    sweepAbandonedOperations({ ctx: { db, actor: systemActor("system:lease-sweep") } }).catch((e) => console.error("helmdeck: lease sweep failed", e));
  }, SWEEP_INTERVAL_MS);
  sweep.unref();
  onShutdown(async () => {
    clearInterval(sweep);
    // Batches run by synchronous requests hand themselves back once their items in flight
    // settle; their requests then answer 503, which needs a moment to be written before exit.
    const inline = [...inlineBatches()];
    await Promise.all([runner.stop(), ...inline]);
    if (inline.length > 0) await new Promise((resolve) => setTimeout(resolve, INLINE_ANSWER_GRACE_MS));
    globalForWork.helmdeckBatchRunner = undefined;
  });
}

/** Nudges this instance's runner after queueing a batch; other instances find it at their next poll. */
export function wakeBatchRunner(): void {
  globalForWork.helmdeckBatchRunner?.wake();
}

/**
 * What a request that submits a batch needs from the process: how to wake its runner, and
 * a signal that ends waiting for the batch when the client goes away or a clean stop
 * begins (the batch then goes on in the background, or on another instance).
 */
export function batchSubmission(request: AbortSignal): { wake: () => void; signal: AbortSignal; track: (run: Promise<unknown>) => void } {
  return {
    wake: wakeBatchRunner,
    signal: AbortSignal.any([request, shutdownSignal()]),
    track: (run) => {
      const settled = run.catch(() => undefined).finally(() => inlineBatches().delete(settled));
      inlineBatches().add(settled);
    },
  };
}
