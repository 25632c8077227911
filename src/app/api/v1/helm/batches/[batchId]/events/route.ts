import { z } from "zod";
import { loadVisibleBatch } from "@/server/domain/batches/batch-view";
import { streamBatchEvents } from "@/server/domain/batches/stream-batch-events";
import { eventStreamResponse } from "@/server/http/event-stream";
import { batchIdParams, parseParams } from "@/server/http/params";
import { parseQuery } from "@/server/http/parse";
import { route } from "@/server/http/route";

const resumeFrom = z.object({ lastEventId: z.coerce.number().int().min(0).optional() });

/** Live progress as server-sent events; `Last-Event-ID` (or ?lastEventId=) resumes after that event. */
export const GET = route<{ batchId: string }>(async ({ req, ctx, params, url }) => {
  const { batchId } = parseParams(batchIdParams, params);
  const { lastEventId } = parseQuery(resumeFrom, { lastEventId: req.headers.get("last-event-id") ?? url.searchParams.get("lastEventId") ?? undefined });
  await loadVisibleBatch(ctx.db, ctx.actor, batchId);
  const abort = new AbortController();
  req.signal.addEventListener("abort", () => abort.abort());
  return eventStreamResponse(streamBatchEvents({ ctx, batchId, lastEventId, signal: abort.signal }), abort);
});
