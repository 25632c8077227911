import { isDeepStrictEqual } from "node:util";
import type { DiffEntry } from "@/contracts/releases";
import type { JsonObject, JsonValue } from "@/contracts/common";

const isMap = (v: JsonValue | undefined): v is JsonObject => v !== null && typeof v === "object" && !Array.isArray(v);

const segment = (key: string) => (/^[A-Za-z_$][\w$-]*$/.test(key) ? key : JSON.stringify(key));
const join = (base: string, key: string) => (base ? `${base}.${segment(key)}` : segment(key));

/**
 * What changes from one set of values to another, path by path (`image.tag`). Maps are
 * walked; arrays are compared whole, as Helm replaces them whole.
 */
export function diffValues(from: JsonObject, to: JsonObject, base = ""): DiffEntry[] {
  const entries: DiffEntry[] = [];
  const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
  for (const key of keys) {
    const path = join(base, key);
    const a = Object.hasOwn(from, key) ? from[key] : undefined;
    const b = Object.hasOwn(to, key) ? to[key] : undefined;
    if (a === undefined) entries.push({ path, op: "added", to: b });
    else if (b === undefined) entries.push({ path, op: "removed", from: a });
    else if (isMap(a) && isMap(b)) entries.push(...diffValues(a, b, path));
    else if (!isDeepStrictEqual(a, b)) entries.push({ path, op: "changed", from: a, to: b });
  }
  return entries;
}
