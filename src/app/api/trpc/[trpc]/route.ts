import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";
import { observeRequest } from "@/server/http/observe-request";
import { log } from "@/server/observability/log";

const ENDPOINT = "/api/trpc";

/** One label per procedure; batched calls and unknown names share one each, so labels stay bounded. */
function procedureRoute(req: Request): string {
  const path = new URL(req.url).pathname.slice(ENDPOINT.length + 1);
  if (path.includes(",")) return `${ENDPOINT}/(batch)`;
  return Object.hasOwn(appRouter._def.procedures, path) ? `${ENDPOINT}/${path}` : `${ENDPOINT}/(unknown)`;
}

const handler = (req: Request) =>
  observeRequest(req, procedureRoute(req), () =>
    fetchRequestHandler({
      endpoint: ENDPOINT,
      req,
      router: appRouter,
      createContext: () => createTRPCContext({ req }),
      onError({ error, path }) {
        // The answer says only "internal error" (trpc.ts); the log keeps what happened, without parameters.
        if (error.code === "INTERNAL_SERVER_ERROR") log.error({ err: error.cause ?? error, procedure: path ?? null }, "unhandled error");
      },
    }),
  );

export { handler as GET, handler as POST };
