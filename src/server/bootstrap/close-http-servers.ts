import { Server } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";

/**
 * The listening servers of this process. `next start` keeps its HTTP server to itself, and
 * the clean stop replaces Next's own signal handler, so the server is found among the
 * process's active handles (a Node.js internal, guarded: without it the stop still works).
 */
function listeningServers(): Server[] {
  const handles = (process as unknown as { _getActiveHandles?: () => unknown[] })._getActiveHandles?.() ?? [];
  return handles.filter((h): h is Server => h instanceof Server && h.listening);
}

/**
 * Stops accepting connections and lets answers already handed to the HTTP layer finish
 * writing (Node closes idle keep-alive connections at once). Connections still busy after
 * `graceMs` are event streams; they are cut, and their clients reconnect elsewhere.
 */
export async function closeHttpServers(graceMs: number): Promise<void> {
  const servers = listeningServers();
  const closed = Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
  const outcome = await Promise.race([closed.then(() => "closed" as const), sleep(graceMs, "grace" as const, { ref: false })]);
  if (outcome === "grace") {
    for (const server of servers) (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
  }
}
