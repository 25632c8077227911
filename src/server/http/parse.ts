import type { z } from "zod";
import { MAX_BODY_BYTES, MAX_VALUES_DEPTH } from "@/contracts/common";
import { DomainError } from "@/server/domain/errors";
import { zodFieldErrors } from "./problem";

/** Reads at most maxBytes of a request body; more is 413 without reading the rest. */
export async function readBody(req: Request, maxBytes = MAX_BODY_BYTES): Promise<Uint8Array> {
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  const tooLarge = () => new DomainError("PAYLOAD_TOO_LARGE", `the request body exceeds ${maxBytes} bytes`);
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge();
  if (!req.body) return new Uint8Array();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** Nesting depth of a JSON text, measured before parsing so that a hostile depth never reaches the parser. */
function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) max = Math.max(max, ++depth);
    else if (c === 125 || c === 93) depth--;
  }
  return max;
}

// Values may nest 32 levels below the body's own object and the field holding them.
const MAX_BODY_DEPTH = MAX_VALUES_DEPTH + 4;

export function parseJsonBody(bytes: Uint8Array): unknown {
  if (bytes.byteLength === 0) return undefined;
  const text = Buffer.from(bytes).toString("utf8");
  if (jsonDepth(text) > MAX_BODY_DEPTH) {
    throw new DomainError("VALIDATION_FAILED", `the body nests deeper than ${MAX_VALUES_DEPTH} levels`, {
      errors: [{ path: "(body)", message: `nesting deeper than ${MAX_VALUES_DEPTH} levels` }],
    });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new DomainError("BAD_REQUEST", `malformed JSON: ${e instanceof Error ? e.message : "cannot parse"}`);
  }
}

/** A JSON body against its contract: 422 with field errors. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new DomainError("VALIDATION_FAILED", "the request body is invalid", { errors: zodFieldErrors(result.error) });
  return result.data;
}

/** Query parameters and path segments: 400, since the URL itself is wrong. */
export function parseQuery<S extends z.ZodType>(schema: S, value: unknown, what = "query"): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const errors = zodFieldErrors(result.error);
    throw new DomainError("BAD_REQUEST", `invalid ${what}: ${errors.map((e) => `${e.path} ${e.message}`).join("; ")}`, { errors });
  }
  return result.data;
}

/** The query string as an object; a repeated parameter keeps its last value. */
export const queryObject = (url: URL) => Object.fromEntries(url.searchParams.entries());
