import { shutdownSignal } from "@/server/bootstrap/stopping";

const KEEP_ALIVE_MS = 15_000;
const encoder = new TextEncoder();

/**
 * Serves an async sequence of {id, event} as text/event-stream: one `id:` / `event:` /
 * `data:` block per item, a comment every 15 s of silence so that proxies keep the
 * connection, and the source closed when the client goes away. A clean stop ends the stream:
 * the client reconnects (to another instance) with Last-Event-ID and misses nothing.
 */
export function eventStreamResponse<T extends { id: number; event: { type: string } }>(source: AsyncIterator<T> & { return(): Promise<IteratorResult<T>> }, abort: AbortController): Response {
  let pending: Promise<IteratorResult<T>> | undefined;
  const shutdown = shutdownSignal();
  let onStop = () => {};
  const stopping = new Promise<"stop">((resolve) => {
    onStop = () => resolve("stop");
    if (shutdown.aborted) onStop();
    else shutdown.addEventListener("abort", onStop, { once: true });
  });
  const forgetStop = () => shutdown.removeEventListener("abort", onStop);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode("retry: 1000\n\n"));
    },
    async pull(controller) {
      pending ??= source.next();
      let timer: NodeJS.Timeout | undefined;
      const quiet = new Promise<"quiet">((resolve) => (timer = setTimeout(() => resolve("quiet"), KEEP_ALIVE_MS)));
      const next = await Promise.race([pending, quiet, stopping]).finally(() => clearTimeout(timer));
      if (next === "stop") {
        forgetStop();
        controller.close();
        abort.abort();
        void source.return(undefined as never).catch(() => undefined);
        return;
      }
      if (next === "quiet") return controller.enqueue(encoder.encode(": keep-alive\n\n"));
      pending = undefined;
      if (next.done) {
        forgetStop();
        return controller.close();
      }
      const { id, event } = next.value;
      controller.enqueue(encoder.encode(`id: ${id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`));
    },
    async cancel() {
      forgetStop();
      abort.abort();
      await source.return().catch(() => undefined);
    },
  });
  return new Response(stream, {
    headers: { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache, no-transform", Connection: "keep-alive", "X-Accel-Buffering": "no" },
  });
}
