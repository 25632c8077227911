/**
 * Runs once when the Next.js server starts, before it serves: check the configuration, keep
 * errors Next prints itself free of SQL parameters, bound what Next's own redirects echo,
 * prepare the database, and take over SIGTERM/SIGINT for a clean stop (server-lifecycle.ts).
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { exitOnBadConfiguration } = await import("./server/bootstrap/check-configuration");
  exitOnBadConfiguration();
  const { guardConsole } = await import("./server/observability/guard-console");
  guardConsole();
  const { refuseLongRedirectEchoes } = await import("./server/bootstrap/refuse-long-redirect-echoes");
  refuseLongRedirectEchoes();
  const { startServerLifecycle } = await import("./server/bootstrap/server-lifecycle");
  await startServerLifecycle();
}
