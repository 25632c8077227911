const encoder = new TextEncoder();

/** A page already serialized: the JSON text of an array, as the database can build it. */
export type JsonArrayText = string;

/** The items of a page as JSON text without the brackets, "" for none. */
const itemsText = (page: unknown[] | JsonArrayText) => (typeof page === "string" ? page.slice(1, -1).trim() : page.map((item) => JSON.stringify(item)).join(","));

/**
 * Answers a JSON array from an async sequence of pages without holding more than one page:
 * the next page is read only when the client has taken the previous one. The first page is
 * read before answering, so that a failure there is still a proper problem+json; a failure
 * later can only cut the connection (the client sees an unterminated array, never a
 * well-formed partial answer).
 */
export async function jsonArrayResponse(
  pages: AsyncGenerator<unknown[] | JsonArrayText>,
  { headers = {}, onError = () => {} }: { headers?: Record<string, string>; onError?: (error: unknown) => void } = {},
): Promise<Response> {
  const first = await pages.next();
  let opened = false;
  let pending: IteratorResult<unknown[] | JsonArrayText> | undefined = first;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let page: IteratorResult<unknown[] | JsonArrayText>;
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
      const body = itemsText(page.value);
      if (body === "") return;
      controller.enqueue(encoder.encode(opened ? `,${body}` : `[${body}`));
      opened = true;
    },
    async cancel() {
      await pages.return(undefined).catch(() => undefined);
    },
  });
  return new Response(stream, { headers: { "Content-Type": "application/json", "Cache-Control": "no-store", ...headers } });
}
