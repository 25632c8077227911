import { z } from "zod";
import { unsafeTextReason } from "@/server/boundary/find-unsafe-input";
import { DomainError } from "./errors";

/** Opaque keyset cursors: the sort key of the last item of a page, base64url JSON. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

/**
 * A cursor is client input like any other: its key is checked against the shape this
 * list issues, so a forged one is a 400, never a failed SQL cast.
 */
export function decodeCursor<S extends z.ZodTuple>(cursor: string, shape: S): z.output<S> {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    key = undefined;
  }
  const parsed = shape.safeParse(key);
  if (parsed.success) return parsed.data;
  throw new DomainError("BAD_REQUEST", "invalid cursor: pass the cursor of a previous page unchanged", {
    errors: [{ path: "cursor", message: "is not a cursor this server issued" }],
  });
}

const TIMESTAMP = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(\.\d{1,6})?([+-](\d\d)(:?(\d\d))?|Z)?$/;

/** Well formed is not enough: PostgreSQL must accept it as a timestamp too (no month 13, no 25:00, no 30 February). */
function isPossibleTimestamp(text: string): boolean {
  const m = TIMESTAMP.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const offsetOk = m[9] === undefined || (Number(m[9]) <= 15 && Number(m[11] ?? 0) <= 59);
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth && hour <= 23 && minute <= 59 && second <= 59 && offsetOk;
}

export const cursorParts = {
  timestamp: z.string().refine(isPossibleTimestamp),
  id: z.uuid(),
  // Decoded from base64: the URL check never saw it, so it is checked here like any text.
  text: z
    .string()
    .max(300)
    .refine((t) => unsafeTextReason(t) === null),
  sequence: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
};

/** Splits a fetch of limit+1 rows into a page and the cursor of the next one. */
export function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => readonly (string | number)[]): { items: T[]; nextCursor: string | null } {
  if (rows.length <= limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, limit);
  return { items, nextCursor: encodeCursor(keyOf(items[items.length - 1]!)) };
}
