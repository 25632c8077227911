import { closeDatabase } from "@/server/db/client";
import { ensureReady } from "./ensure-ready";

type Stopper = () => Promise<void>;
const globalForLifecycle = globalThis as unknown as { helmdeckStoppers?: Stopper[]; helmdeckStopping?: boolean };

/** Background work (batch runner, lease sweeper) registers here to be stopped before the database closes. */
export function onShutdown(stop: Stopper): void {
  (globalForLifecycle.helmdeckStoppers ??= []).push(stop);
}

async function shutdown(signal: string): Promise<void> {
  if (globalForLifecycle.helmdeckStopping) return;
  globalForLifecycle.helmdeckStopping = true;
  console.log(`helmdeck: ${signal} received, stopping`);
  for (const stop of globalForLifecycle.helmdeckStoppers ?? []) {
    await stop().catch((e) => console.error("helmdeck: error while stopping", e));
  }
  await closeDatabase().catch((e) => console.error("helmdeck: error while closing the database", e));
  process.exit(0);
}

export async function startServerLifecycle(): Promise<void> {
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
  await ensureReady();
  // Imported late: background work needs this module's onShutdown.
  const { startBackgroundWork } = await import("./background-work");
  await startBackgroundWork();
}
