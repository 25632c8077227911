import { Server } from "node:net";

/**
 * The listening servers of this process. `next start` keeps its HTTP server to itself, so it
 * is found among the process's active handles (a Node.js internal, guarded: without it the
 * callers lose their extra, not the server).
 */
export function listeningServers(): Server[] {
  const handles = (process as unknown as { _getActiveHandles?: () => unknown[] })._getActiveHandles?.() ?? [];
  return handles.filter((h): h is Server => h instanceof Server && h.listening);
}
