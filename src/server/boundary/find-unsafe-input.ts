import { MAX_VALUES_DEPTH } from "@/contracts/common";
import type { FieldError } from "@/server/domain/errors";

/**
 * How deep a request's input may nest: values may nest MAX_VALUES_DEPTH levels below the
 * body's own object and the field that holds them.
 */
export const MAX_INPUT_DEPTH = MAX_VALUES_DEPTH + 4;

// A surrogate half without its partner: JSON escapes can make one, UTF-8 cannot carry it,
// and PostgreSQL refuses it (as it refuses NUL) in text and jsonb alike.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored, or null when it can. */
export function unsafeTextReason(text: string): string | null {
  if (text.includes("\u0000")) return "must not contain NUL characters (U+0000)";
  if (LONE_SURROGATE.test(text)) return "must not contain unpaired UTF-16 surrogates";
  return null;
}

/** The text with every NUL and unpaired surrogate replaced by U+FFFD, for recording what an attacker sent. */
export const storableText = (text: string) => text.replace(/\u0000/g, "\uFFFD").replace(new RegExp(LONE_SURROGATE.source, "g"), "\uFFFD");

const joinPath = (path: (string | number)[]) => path.map(String).join(".") || "(body)";

/**
 * The first string (value or key) in a piece of client input that no database can store,
 * or a nesting deeper than maxDepth. One generic check at each boundary (REST bodies and
 * queries, tRPC inputs, chart archives), so that no schema has to remember it.
 */
export function findUnsafeInput(value: unknown, options: { maxDepth?: number; prefix?: (string | number)[] } = {}): FieldError | null {
  const maxDepth = options.maxDepth ?? MAX_INPUT_DEPTH;
  const path: (string | number)[] = [...(options.prefix ?? [])];
  const visit = (v: unknown, depth: number): FieldError | null => {
    if (typeof v === "string") {
      const reason = unsafeTextReason(v);
      return reason ? { path: joinPath(path), message: reason } : null;
    }
    if (v === null || typeof v !== "object") return null;
    if (depth > maxDepth) return { path: joinPath(path), message: `nesting deeper than ${maxDepth} levels` };
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        const problem = visit(v[i], depth + 1);
        path.pop();
        if (problem) return problem;
      }
      return null;
    }
    for (const key of Object.keys(v)) {
      path.push(key);
      const keyReason = unsafeTextReason(key);
      const problem = keyReason ? { path: joinPath(path), message: `key ${keyReason}` } : visit((v as Record<string, unknown>)[key], depth + 1);
      path.pop();
      if (problem) return problem;
    }
    return null;
  };
  return visit(value, 1);
}
