/**
 * Runs once when the Next.js server starts: prepare the database before the first request,
 * and close it on a clean stop so that the embedded data dir is flushed.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServerLifecycle } = await import("./server/bootstrap/server-lifecycle");
  await startServerLifecycle();
}
