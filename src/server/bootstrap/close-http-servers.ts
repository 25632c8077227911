import type { Server } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { listeningServers } from "./listening-servers";

/**
 * The clean stop replaces Next's own signal handler, so it closes Next's server itself.
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
