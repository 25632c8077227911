import type { z } from "zod";
import { MAX_BODY_BYTES, MAX_VALUES_DEPTH } from "@/contracts/common";
import { findUnsafeInput, MAX_INPUT_DEPTH, unsafeTextReason } from "@/server/boundary/find-unsafe-input";
import { readLimitedBody } from "@/server/boundary/read-limited-body";
import { DomainError, type FieldError } from "@/server/domain/errors";
import { zodFieldErrors } from "./problem";

/** Reads at most maxBytes of a request body; more is 413 without reading the rest. */
export const readBody = (req: Request, maxBytes = MAX_BODY_BYTES): Promise<Uint8Array> =>
  readLimitedBody(req, maxBytes, () => new DomainError("PAYLOAD_TOO_LARGE", `the request body exceeds ${maxBytes} bytes`));

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

export function parseJsonBody(bytes: Uint8Array): unknown {
  if (bytes.byteLength === 0) return undefined;
  const text = Buffer.from(bytes).toString("utf8");
  if (jsonDepth(text) > MAX_INPUT_DEPTH) {
    throw new DomainError("VALIDATION_FAILED", `the body nests deeper than ${MAX_VALUES_DEPTH} levels`, {
      errors: [{ path: "(body)", message: `nesting deeper than ${MAX_VALUES_DEPTH} levels` }],
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new DomainError("BAD_REQUEST", `malformed JSON: ${e instanceof Error ? e.message : "cannot parse"}`);
  }
  const unsafe = findUnsafeInput(value);
  if (unsafe) throw new DomainError("VALIDATION_FAILED", `the request body is invalid: ${unsafe.path} ${unsafe.message}`, { errors: [unsafe] });
  return value;
}

/**
 * Query parameters (names and values) and path segments that no database could store: 400
 * before any handler runs, so that no list filter or lookup has to remember it.
 */
export function assertSafeUrl(url: URL, params: Record<string, unknown>): void {
  const errors: FieldError[] = [];
  for (const [name, value] of url.searchParams) {
    const reason = unsafeTextReason(name) ?? unsafeTextReason(value);
    if (reason) errors.push({ path: unsafeTextReason(name) ? "(query)" : name, message: reason });
  }
  for (const [name, value] of Object.entries(params)) {
    for (const segment of Array.isArray(value) ? value : [value]) {
      const reason = typeof segment === "string" ? unsafeTextReason(segment) : null;
      if (reason) errors.push({ path: name, message: reason });
    }
  }
  if (errors.length > 0) throw new DomainError("BAD_REQUEST", `invalid URL: ${errors.map((e) => `${e.path} ${e.message}`).join("; ")}`, { errors });
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
