import { loadVisibleBatch } from "@/server/domain/batches/batch-view";
import { streamBatchEvents } from "@/server/domain/batches/stream-batch-events";
import { endpoint } from "@/server/http/endpoint";
import { eventStreamResponse } from "@/server/http/event-stream";
import { batchIdParams, eventStreamQuery, parseParams } from "@/server/http/params";
import { parseQuery } from "@/server/http/parse";

/** Live progress as server-sent events; `Last-Event-ID` (or ?lastEventId=) resumes after that event. */
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/helm/batches/{batchId}/events", {
  streamBatchEvents: async ({ req, ctx, params, url }) => {
    const { batchId } = parseParams(batchIdParams, params);
    const { lastEventId } = parseQuery(eventStreamQuery, { lastEventId: req.headers.get("last-event-id") ?? url.searchParams.get("lastEventId") ?? undefined });
    await loadVisibleBatch(ctx.db, ctx.actor, batchId);
    const abort = new AbortController();
    req.signal.addEventListener("abort", () => abort.abort());
    return eventStreamResponse(streamBatchEvents({ ctx, batchId, lastEventId, signal: abort.signal }), abort);
  },
});
