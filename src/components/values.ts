import { parse, stringify, YAMLParseError } from "yaml";
import type { DiffEntry } from "@/contracts/releases";

export function toYaml(value: unknown): string {
  if (value && typeof value === "object" && Object.keys(value).length === 0) return "{}\n";
  return stringify(value, { indent: 2, lineWidth: 0 });
}

export type ParsedValues = { ok: true; value: Record<string, unknown> | undefined } | { ok: false; message: string };

/** A values override typed as YAML: empty means "no override"; anything but a map is refused. */
export function parseValuesYaml(text: string): ParsedValues {
  if (!text.trim()) return { ok: true, value: undefined };
  try {
    const value: unknown = parse(text, { uniqueKeys: true, maxAliasCount: 100 });
    if (value === null || value === undefined) return { ok: true, value: undefined };
    if (typeof value !== "object" || Array.isArray(value)) return { ok: false, message: "values must be a YAML map (key: value), not a list or a scalar" };
    return { ok: true, value: value as Record<string, unknown> };
  } catch (e) {
    if (e instanceof YAMLParseError) {
      const where = e.linePos?.[0] ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}: ` : "";
      return { ok: false, message: `${where}${e.message.split("\n")[0]}` };
    }
    return { ok: false, message: (e as Error).message };
  }
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

/**
 * Path diff of two computed values, as the server's plan reports it: maps are walked,
 * arrays and scalars compared whole (Helm replaces arrays, it never merges them).
 */
export function diffValues(from: unknown, to: unknown, prefix = ""): DiffEntry[] {
  const out: DiffEntry[] = [];
  if (isMap(from) && isMap(to)) {
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
    for (const key of keys) {
      const path = prefix ? `${prefix}.${key}` : key;
      if (!(key in to)) out.push({ path, op: "removed", from: from[key] });
      else if (!(key in from)) out.push({ path, op: "added", to: to[key] });
      else out.push(...diffValues(from[key], to[key], path));
    }
    return out;
  }
  if (JSON.stringify(from) !== JSON.stringify(to)) out.push({ path: prefix || "(root)", op: "changed", from, to });
  return out;
}

export function showValue(v: unknown): string {
  if (v === undefined) return "";
  return typeof v === "string" ? v : JSON.stringify(v);
}
