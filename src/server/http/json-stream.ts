const encoder = new TextEncoder();

/**
 * A JSON array answered page by page as it is read, so that a list as long as a fleet never
 * sits whole in memory. The status is 200: by the time a page fails, the head is sent, so
 * a failure ends the body early (an invalid document) rather than turning into a 500.
 */
export function jsonArrayResponse<T>(pages: AsyncGenerator<T[]>, headers: Record<string, string> = {}): Response {
  let first = true;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await pages.next();
      if (next.done) {
        controller.enqueue(encoder.encode(first ? "[]" : "]"));
        controller.close();
        return;
      }
      const chunk = next.value.map((item) => JSON.stringify(item)).join(",");
      if (chunk.length === 0) return;
      controller.enqueue(encoder.encode(`${first ? "[" : ","}${chunk}`));
      first = false;
    },
    async cancel() {
      await pages.return(undefined as never).catch(() => undefined);
    },
  });
  return new Response(body, { status: 200, headers: { "Content-Type": "application/json", "Cache-Control": "no-store", ...headers } });
}
