import { setTimeout as sleep } from "node:timers/promises";
import { env } from "@/env";
import { closeDatabase } from "@/server/db/client";
import { log } from "@/server/observability/log";
import { closeHttpServers } from "./close-http-servers";
import { ensureReady } from "./ensure-ready";
import { beginStopping, isStopping, workDrained, workInFlight } from "./stopping";

export { shutdownSignal } from "./stopping";

type Stopper = () => Promise<void>;
const globalForLifecycle = globalThis as unknown as { helmdeckStoppers?: Stopper[] };

const START_RETRY_MS = 5_000;
// After the work has drained: how long event streams may stay open while the last answers are written.
const HTTP_CLOSE_GRACE_MS = 1_000;

/** Background work (batch runner, lease sweeper) registers here to be stopped before the database closes. */
export function onShutdown(stop: Stopper): void {
  (globalForLifecycle.helmdeckStoppers ??= []).push(stop);
}

async function runStoppers(): Promise<void> {
  await Promise.all(
    (globalForLifecycle.helmdeckStoppers ?? []).map((stop) => stop().catch((err) => log.error({ err }, "a background task failed while stopping"))),
  );
}

/**
 * A clean stop (SPEC §9): readyz answers 503 and new writes are refused from the first
 * moment, so that a load balancer drains this instance; the batch runner finishes the item
 * in flight and hands its batches back (lease released, so another instance or the next
 * start resumes them at once); requests in flight, release operations among them, may
 * finish. All of that is bounded by HELMDECK_SHUTDOWN_SECONDS; then the HTTP server closes
 * once the last answers are written, and the database closes. A second signal exits at once.
 */
async function shutdown(signal: string): Promise<void> {
  if (isStopping()) {
    log.warn({ signal }, `${signal} received again, exiting without waiting`);
    process.exit(1);
  }
  beginStopping();
  const seconds = env().HELMDECK_SHUTDOWN_SECONDS;
  log.info({ signal, inFlight: workInFlight(), shutdownSeconds: seconds }, `${signal} received, stopping: no new work, waiting up to ${seconds} s for work in flight`);
  const deadline = sleep(seconds * 1000, "deadline" as const, { ref: false });
  const outcome = await Promise.race([Promise.all([runStoppers(), workDrained()]).then(() => "drained" as const), deadline]);
  if (outcome === "deadline") {
    log.warn({ inFlight: workInFlight() }, "stop deadline reached with work in flight; pending operations are resolved by their leases");
  }
  await closeHttpServers(HTTP_CLOSE_GRACE_MS);
  await closeDatabase().catch((err) => log.error({ err }, "could not close the database cleanly"));
  log.info({ signal }, "stopped");
  process.exit(0);
}

/**
 * Start-up until the database is migrated and seeded. The embedded database is this
 * process's own: a failure there (a data dir another process holds) is final and exits.
 * PostgreSQL may simply not be up yet: start-up is retried, and readyz answers 503 meanwhile.
 */
async function prepare(attempt: number): Promise<boolean> {
  try {
    await ensureReady();
    return true;
  } catch (err) {
    if (!env().DATABASE_URL) {
      log.fatal({ err }, "start-up failed");
      process.exit(1);
    }
    log.error({ err, attempt }, `start-up failed; retrying in ${START_RETRY_MS / 1000} s (readyz answers 503 meanwhile)`);
    return false;
  }
}

async function startBackground(): Promise<void> {
  // Imported late: background work needs this module's onShutdown.
  const { startBackgroundWork } = await import("./background-work");
  await startBackgroundWork();
}

async function keepPreparing(): Promise<void> {
  for (let attempt = 2; !isStopping(); attempt++) {
    await sleep(START_RETRY_MS);
    if (!isStopping() && (await prepare(attempt))) return startBackground();
  }
}

export async function startServerLifecycle(): Promise<void> {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    // next start's own handler exits as soon as HTTP has closed, cutting the stoppers short
    // (a batch would lose its item in flight, PGlite its flush): this handler alone decides.
    process.removeAllListeners(signal);
    process.on(signal, () => void shutdown(signal));
  }
  if (await prepare(1)) await startBackground();
  // Serve probes while retrying instead of holding the server back.
  else void keepPreparing();
}
