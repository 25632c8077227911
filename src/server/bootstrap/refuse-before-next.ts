import { Server, type IncomingMessage, type ServerResponse } from "node:http";
import { MAX_REDIRECT_URL_LENGTH, uriTooLongDetail } from "@/contracts/redirects";
import { DomainError } from "@/server/domain/errors";
import { problemParts } from "@/server/http/problem";
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

function refusalOf(req: IncomingMessage): DomainError | null {
  if (!SERVED_METHODS.includes(req.method ?? "")) {
    const allow = SERVED_METHODS.join(", ");
    return new DomainError("METHOD_NOT_ALLOWED", `${req.method} is answered by no route of this server; allowed: ${allow}`, { headers: { Allow: allow } });
  }
  if (req.url && isUnechoableUncleanUrl(req.url)) return new DomainError("URI_TOO_LONG", uriTooLongDetail("ask for the path without repeated slashes or backslashes"));
  return null;
}

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
      const refusal = refusalOf(req);
      if (refusal) {
        const problem = problemParts(refusal);
        res.writeHead(problem.status, problem.headers).end(problem.body);
        return;
      }
      for (const listener of listeners) listener.call(server, req, res);
    });
  }
}
