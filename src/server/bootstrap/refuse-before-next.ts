import { Server, type IncomingMessage, type ServerResponse } from "node:http";
import { MAX_REDIRECT_URL_LENGTH, URI_TOO_LONG_HEADERS, uriTooLongProblem } from "@/contracts/redirects";
import { log } from "@/server/observability/log";
import { listeningServers } from "./listening-servers";

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** What Next's router redirects before any of the app's code runs: `//` or `\` in the path. */
const UNCLEAN_PATH = /\/\/|\\/;

/** A URL Next would echo twice in a 308 (Location and Refresh) that is too long to echo. */
export function isUnechoableUncleanUrl(url: string): boolean {
  if (url.length <= MAX_REDIRECT_URL_LENGTH) return false;
  const query = url.indexOf("?");
  return UNCLEAN_PATH.test(query === -1 ? url : url.slice(0, query));
}

/** Every method some route of this server answers. */
export const SERVED_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

/**
 * What Next answers badly before any of the app's code runs, with no setting to change it:
 * - a path holding `//` or `\` gets a 308 to the path made clean that echoes the URL in
 *   Location and in Refresh, so a 10 KiB query made response headers no Node client reads;
 *   past MAX_REDIRECT_URL_LENGTH it is answered 414 here, as the proxy answers a long
 *   trailing-slash URL;
 * - a method outside SERVED_METHODS got a bare 400, or for TRACE a 500 (Next builds a fetch
 *   Request, which refuses TRACE): it is answered 405 problem+json here, with `Allow`.
 * The request listeners of Next's server are wrapped; every other request reaches Next untouched.
 */
export function refuseBeforeNext(): void {
  const servers = listeningServers().filter((s): s is Server => s instanceof Server);
  if (servers.length === 0) log.warn("no listening HTTP server found: Next answers unknown methods and long URLs with // or \\ itself");
  for (const server of servers) {
    const listeners = server.listeners("request") as RequestListener[];
    server.removeAllListeners("request");
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      if (!SERVED_METHODS.includes(req.method ?? "")) {
        res.writeHead(405, { "Content-Type": "application/problem+json", "Cache-Control": "no-store", Allow: SERVED_METHODS.join(", ") });
        res.end(JSON.stringify({ type: "urn:helmdeck:problem:method-not-allowed", title: "Method not allowed", status: 405, detail: `${req.method} is answered by no route of this server; allowed: ${SERVED_METHODS.join(", ")}` }));
        return;
      }
      if (req.url && isUnechoableUncleanUrl(req.url)) {
        res.writeHead(414, URI_TOO_LONG_HEADERS);
        res.end(uriTooLongProblem("ask for the path without repeated slashes or backslashes"));
        return;
      }
      for (const listener of listeners) listener.call(server, req, res);
    });
  }
}
