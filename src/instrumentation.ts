/**
 * Runs once when the Next.js server starts, before it serves: check the configuration,
 * prepare the database, and take over SIGTERM/SIGINT for a clean stop (server-lifecycle.ts).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { exitOnBadConfiguration } = await import("./server/bootstrap/check-configuration");
  exitOnBadConfiguration();
  const { startServerLifecycle } = await import("./server/bootstrap/server-lifecycle");
  await startServerLifecycle();
}
