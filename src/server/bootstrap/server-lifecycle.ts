import { closeDatabase } from "@/server/db/client";
import { ensureReady } from "./ensure-ready";

type Stopper = () => Promise<void>;
const globalForLifecycle = globalThis as unknown as { helmdeckStoppers?: Stopper[]; helmdeckStopping?: boolean; helmdeckShutdown?: AbortController };

/**
 * Aborted when a clean stop begins: long requests (a synchronous batch, an event stream)
 * listen to it to answer or end at once instead of being cut off by the exit.
 */
export function shutdownSignal(): AbortSignal {
  return (globalForLifecycle.helmdeckShutdown ??= new AbortController()).signal;
}

/** Background work (batch runner, lease sweeper) registers here to be stopped before the database closes. */
export function onShutdown(stop: Stopper): void {
  (globalForLifecycle.helmdeckStoppers ??= []).push(stop);
}

async function shutdown(signal: string): Promise<void> {
  if (globalForLifecycle.helmdeckStopping) return;
  globalForLifecycle.helmdeckStopping = true;
  (globalForLifecycle.helmdeckShutdown ??= new AbortController()).abort();
  console.log(`helmdeck: ${signal} received, stopping`);
  for (const stop of globalForLifecycle.helmdeckStoppers ?? []) {
    await stop().catch((e) => console.error("helmdeck: error while stopping", e));
  }
  await closeDatabase().catch((e) => console.error("helmdeck: error while closing the database", e));
  process.exit(0);
}

export async function startServerLifecycle(): Promise<void> {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    // next start's own handler exits as soon as HTTP has closed, cutting the stoppers short
    // (a batch would lose its item in flight, PGlite its flush): this handler alone decides.
    process.removeAllListeners(signal);
    process.once(signal, () => void shutdown(signal));
  }
  await ensureReady();
  // Imported late: background work needs this module's onShutdown.
  const { startBackgroundWork } = await import("./background-work");
  await startBackgroundWork();
}
