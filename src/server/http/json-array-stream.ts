const encoder = new TextEncoder();

/**
 * Answers a JSON array from an async sequence of pages without holding more than one page:
 * the next page is read only when the client has taken the previous one. The first page is
 * read before answering, so that a failure there is still a proper problem+json; a failure
 * later can only cut the connection (the client sees an unterminated array, never a
 * well-formed partial answer).
 */
export async function jsonArrayResponse(
  pages: AsyncGenerator<unknown[]>,
  { headers = {}, onError = () => {} }: { headers?: Record<string, string>; onError?: (error: unknown) => void } = {},
): Promise<Response> {
  const first = await pages.next();
  let opened = false;
  let pending: IteratorResult<unknown[]> | undefined = first;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let page: IteratorResult<unknown[]>;
      try {
        page = pending ?? (await pages.next());
      } catch (error) {
        onError(error);
        throw error;
      }
      pending = undefined;
      if (page.done) {
        controller.enqueue(encoder.encode(opened ? "]" : "[]"));
        return controller.close();
      }
      if (page.value.length === 0) return;
      const body = page.value.map((item) => JSON.stringify(item)).join(",");
      controller.enqueue(encoder.encode(opened ? `,${body}` : `[${body}`));
      opened = true;
    },
    async cancel() {
      await pages.return(undefined).catch(() => undefined);
    },
  });
  return new Response(stream, { headers: { "Content-Type": "application/json", "Cache-Control": "no-store", ...headers } });
}
