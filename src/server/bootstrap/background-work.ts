import { env } from "@/env";
import { systemActor } from "@/server/auth/actor";
import { getDb } from "@/server/db/client";
import { sweepAbandonedOperations } from "@/server/domain/releases/sweep-abandoned-operations";
import { log } from "@/server/observability/log";
import { startAutomationWork } from "./automation-work";
import { startBatchRunner, type BatchRunner } from "./batch-runner";
import { startWebhookRunner, type WebhookRunner } from "./webhook-runner";
import { onShutdown, shutdownSignal } from "./server-lifecycle";

const SWEEP_INTERVAL_MS = 15_000;
const globalForWork = globalThis as unknown as { helmdeckBatchRunner?: BatchRunner; helmdeckWebhookRunner?: WebhookRunner };

/**
 * The server process's background work: the batch runner, the webhook outbox's delivery, the
 * sweep of abandoned operations, and chart repository syncs and policy evaluations. All stop
 * through onShutdown, before the database closes, so that a clean
 * stop hands running batches back at once instead of waiting for their leases.
 */
export async function startBackgroundWork(): Promise<void> {
  if (!env().HELMDECK_BATCH_RUNNER || globalForWork.helmdeckBatchRunner) return;
  const db = await getDb();
  // The runner's own stop is bounded like the whole clean stop: an item in flight may finish.
  const runner = startBatchRunner({ db, stopTimeoutMs: env().HELMDECK_SHUTDOWN_SECONDS * 1000 });
  globalForWork.helmdeckBatchRunner = runner;
  const webhooks = startWebhookRunner({ db });
  globalForWork.helmdeckWebhookRunner = webhooks;
  const sweep = setInterval(() => {
    sweepAbandonedOperations({ ctx: { db, actor: systemActor("system:lease-sweep") } }).catch((err) => log.error({ err }, "lease sweep failed"));
  }, SWEEP_INTERVAL_MS);
  sweep.unref();
  const stopAutomation = startAutomationWork({ db, instanceId: runner.runnerId, wake: () => runner.wake() });
  onShutdown(async () => {
    clearInterval(sweep);
    await Promise.all([stopAutomation(5_000), runner.stop(), webhooks.stop()]);
    globalForWork.helmdeckBatchRunner = undefined;
    globalForWork.helmdeckWebhookRunner = undefined;
  });
}

/** Nudges this instance's runner after queueing a batch; other instances find it at their next poll. */
export function wakeBatchRunner(): void {
  globalForWork.helmdeckBatchRunner?.wake();
}

/** Nudges this instance's webhook runner after queueing a delivery outside the usual events (a test event). */
export function wakeWebhookRunner(): void {
  globalForWork.helmdeckWebhookRunner?.wake();
}

/**
 * What a request that submits a batch needs from the process: how to wake its runner, and
 * a signal that ends waiting for the batch when the client goes away or a clean stop
 * begins (the batch then goes on in the background, or on another instance). The request
 * itself is work in flight, which a clean stop waits for, so its 503 is written.
 */
export function batchSubmission(request: AbortSignal): { wake: () => void; signal: AbortSignal } {
  return { wake: wakeBatchRunner, signal: AbortSignal.any([request, shutdownSignal()]) };
}
