import { z } from "zod";
import { shutdownSignal } from "@/server/bootstrap/server-lifecycle";
import { openBatchEvents } from "@/server/domain/batches/stream-batch-events";
import { eventStreamResponse } from "@/server/http/event-stream";
import { batchIdParams, parseParams } from "@/server/http/params";
import { parseQuery } from "@/server/http/parse";
import { route } from "@/server/http/route";

const resumeFrom = z.object({ lastEventId: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional() });

/** Live progress as server-sent events; `Last-Event-ID` (or ?lastEventId=) resumes after that event. */
export const GET = route<{ batchId: string }>(async ({ req, ctx, params, url }) => {
  const { batchId } = parseParams(batchIdParams, params);
  const { lastEventId } = parseQuery(resumeFrom, { lastEventId: req.headers.get("last-event-id") ?? url.searchParams.get("lastEventId") ?? undefined });
  const abort = new AbortController();
  const signal = AbortSignal.any([req.signal, abort.signal, shutdownSignal()]);
  return eventStreamResponse(await openBatchEvents({ ctx, batchId, lastEventId, signal }), abort);
});
