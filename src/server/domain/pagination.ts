import { DomainError } from "./errors";

/** Opaque keyset cursors: the sort key of the last item of a page, base64url JSON. */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

export function decodeCursor(cursor: string, arity: number): (string | number)[] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(key) && key.length === arity && key.every((k) => typeof k === "string" || typeof k === "number")) return key;
  } catch {
    // fall through
  }
  throw new DomainError("BAD_REQUEST", "invalid cursor: pass the cursor of a previous page unchanged", {
    errors: [{ path: "cursor", message: "is not a cursor this server issued" }],
  });
}

/** Splits a fetch of limit+1 rows into a page and the cursor of the next one. */
export function pageOf<T>(rows: T[], limit: number, keyOf: (row: T) => readonly (string | number)[]): { items: T[]; nextCursor: string | null } {
  if (rows.length <= limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, limit);
  return { items, nextCursor: encodeCursor(keyOf(items[items.length - 1]!)) };
}
