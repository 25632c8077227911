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

/**
 * Next answers a path holding `//` or `\` with a 308 to the path made clean, echoing the URL
 * in Location and in Refresh, in its router, before src/proxy.ts or a route can act (and with
 * no setting to turn it off): a 10 KiB query made response headers no Node client can read.
 * The request listeners of Next's server are wrapped so that such a URL past
 * MAX_REDIRECT_URL_LENGTH is answered 414, as the proxy answers a long trailing-slash URL;
 * every other request reaches Next untouched.
 */
export function refuseLongRedirectEchoes(): void {
  const servers = listeningServers().filter((s): s is Server => s instanceof Server);
  if (servers.length === 0) log.warn("no listening HTTP server found: long URLs with // or \\ get Next's own 308 echo");
  for (const server of servers) {
    const listeners = server.listeners("request") as RequestListener[];
    server.removeAllListeners("request");
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      if (req.url && isUnechoableUncleanUrl(req.url)) {
        res.writeHead(414, URI_TOO_LONG_HEADERS);
        res.end(uriTooLongProblem("ask for the path without repeated slashes or backslashes"));
        return;
      }
      for (const listener of listeners) listener.call(server, req, res);
    });
  }
}
