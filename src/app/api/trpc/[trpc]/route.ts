import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { MAX_BODY_BYTES } from "@/contracts/common";
import { MAX_TRPC_BATCH } from "@/contracts/trpc-batch";
import { appRouter } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";
import { limitedBodyStream } from "@/server/boundary/read-limited-body";
import { optionsResponse, withCors } from "@/server/http/cors";
import { observeRequest } from "@/server/http/observe-request";
import { log } from "@/server/observability/log";

const ENDPOINT = "/api/trpc";

/** One label per procedure; batched calls and unknown names share one each, so labels stay bounded. */
function procedureRoute(req: Request): string {
  const path = new URL(req.url).pathname.slice(ENDPOINT.length + 1);
  if (path.includes(",")) return `${ENDPOINT}/(batch)`;
  return Object.hasOwn(appRouter._def.procedures, path) ? `${ENDPOINT}/${path}` : `${ENDPOINT}/(unknown)`;
}

/**
 * The body tRPC reads is cut off at MAX_BODY_BYTES (as on REST), so an oversized call
 * fails with PAYLOAD_TOO_LARGE (413) in tRPC's own error shape before it is parsed.
 */
function withBodyLimit(req: Request): Request {
  if (req.method === "GET" || req.method === "HEAD") return req;
  const body = limitedBodyStream(req, MAX_BODY_BYTES, () => new TRPCError({ code: "PAYLOAD_TOO_LARGE", message: `the request body exceeds ${MAX_BODY_BYTES} bytes` }));
  return new Request(req.url, { method: req.method, headers: req.headers, body, signal: req.signal, duplex: "half" } as RequestInit);
}

const handler = (req: Request) =>
  observeRequest(req, procedureRoute(req), async () =>
    withCors(
      req,
      await fetchRequestHandler({
        endpoint: ENDPOINT,
        req: withBodyLimit(req),
        router: appRouter,
        maxBatchSize: MAX_TRPC_BATCH,
        createContext: () => createTRPCContext({ req }),
        onError({ error, path }) {
          // The answer says only "internal error" (trpc.ts); the log keeps what happened, without parameters.
          if (error.code === "INTERNAL_SERVER_ERROR") log.error({ err: error.cause ?? error, procedure: path ?? null }, "unhandled error");
        },
      }),
    ),
  );

/** Browsers on another origin (HELMDECK_CORS_ORIGINS) ask first: queries and subscriptions GET, mutations POST. */
const OPTIONS = (req: Request) => observeRequest(req, ENDPOINT, async () => optionsResponse(req, ["GET", "POST", "OPTIONS"]));

export { handler as GET, handler as POST, OPTIONS };
