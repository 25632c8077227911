import { MAX_BODY_BYTES } from "@/contracts/common";

export class BodyTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the request body exceeds ${maxBytes} bytes`);
    this.name = "BodyTooLargeError";
  }
}

/**
 * The request body as a stream that fails once more than maxBytes have arrived (at once
 * when Content-Length already says so), so that no face buffers or parses an oversized
 * body. onTooLarge makes the error each face understands.
 */
export function limitedBodyStream(req: Request, maxBytes = MAX_BODY_BYTES, onTooLarge: () => unknown = () => new BodyTooLargeError(maxBytes)): ReadableStream<Uint8Array> | null {
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) {
    return new ReadableStream({ start: (controller) => controller.error(onTooLarge()) });
  }
  if (!req.body) return null;
  const reader = req.body.getReader();
  let size = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        return controller.error(onTooLarge());
      }
      controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}

/** Reads at most maxBytes of a request body; more throws onTooLarge()'s error without reading the rest. */
export async function readLimitedBody(req: Request, maxBytes = MAX_BODY_BYTES, onTooLarge?: () => unknown): Promise<Uint8Array> {
  const stream = limitedBodyStream(req, maxBytes, onTooLarge);
  if (!stream) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
