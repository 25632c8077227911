/**
 * Runs once when the Next.js server starts, before it serves: check the configuration, keep
 * errors Next prints itself free of SQL parameters, answer what Next would answer badly
 * before the app sees it (unknown methods, long URLs its redirects echo),
 * prepare the database, and take over SIGTERM/SIGINT for a clean stop (server-lifecycle.ts).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { exitOnBadConfiguration } = await import("./server/bootstrap/check-configuration");
  exitOnBadConfiguration();
  const { guardConsole } = await import("./server/observability/guard-console");
  guardConsole();
  const { refuseBeforeNext } = await import("./server/bootstrap/refuse-before-next");
  refuseBeforeNext();
  const { startServerLifecycle } = await import("./server/bootstrap/server-lifecycle");
  await startServerLifecycle();
}
