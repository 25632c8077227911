import { shutdownSignal } from "@/server/bootstrap/server-lifecycle";
import { openBatchEvents } from "@/server/domain/batches/stream-batch-events";
import { endpoint } from "@/server/http/endpoint";
import { eventStreamResponse } from "@/server/http/event-stream";
import { batchIdParams, eventStreamQuery, parseParams } from "@/server/http/params";
import { parseQuery } from "@/server/http/parse";

/** Live progress as server-sent events; `Last-Event-ID` (or ?lastEventId=) resumes after that event. */
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/helm/batches/{batchId}/events", {
  streamBatchEvents: async ({ req, ctx, params, url }) => {
    const { batchId } = parseParams(batchIdParams, params);
    const { lastEventId } = parseQuery(eventStreamQuery, { lastEventId: req.headers.get("last-event-id") ?? url.searchParams.get("lastEventId") ?? undefined });
    const abort = new AbortController();
    const signal = AbortSignal.any([req.signal, abort.signal, shutdownSignal()]);
    return eventStreamResponse(await openBatchEvents({ ctx, batchId, lastEventId, signal }), abort);
  },
});
