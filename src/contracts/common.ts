import { z } from "zod";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export const FORBIDDEN_KEYS = ["__proto__", "constructor", "prototype"] as const;
export const MAX_VALUES_DEPTH = 32;
export const MAX_BODY_BYTES = 1024 * 1024;

/** semver.org's own pattern: strict SemVer 2.0, no leading "v", no leading zeros. */
export const SEMVER_PATTERN =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

export const semverString = z
  .string()
  .max(256)
  .regex(SEMVER_PATTERN, { message: "must be a strict semantic version such as 1.2.3 or 1.3.0-rc.1" })
  .refine((v) => v.split(/[.+-]/, 3).every((part) => Number(part) <= Number.MAX_SAFE_INTEGER), {
    message: "version numbers must not exceed 9007199254740991",
  });

export const idSchema = z.uuid({ message: "must be a UUID" });

/** A Kubernetes-style DNS label: release names, namespaces, chart names. */
export const dnsLabel = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, { message: "must be lower-case letters, digits and '-', starting and ending with a letter or digit" });

export const chartName = z
  .string()
  .min(1)
  .max(250)
  .regex(/^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$/, { message: "must be lower-case letters, digits, '.', '_' and '-'" });

function findValuesProblem(value: unknown, path: (string | number)[], depth: number): { path: (string | number)[]; message: string } | null {
  if (depth > MAX_VALUES_DEPTH) return { path, message: `nesting deeper than ${MAX_VALUES_DEPTH} levels` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = findValuesProblem(value[i], [...path, i], depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  if (value !== null && typeof value === "object") {
    for (const key of Object.keys(value)) {
      if ((FORBIDDEN_KEYS as readonly string[]).includes(key)) return { path: [...path, key], message: `key "${key}" is not allowed` };
      const problem = findValuesProblem((value as Record<string, unknown>)[key], [...path, key], depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  if (typeof value === "number" && !Number.isFinite(value)) return { path, message: "must be a finite number" };
  return null;
}

/**
 * A JSON object of Helm values. Checked without copying: rebuilding the object key by key
 * is exactly how a "__proto__" key would become a prototype.
 */
export const valuesObject = z.custom<JsonObject>().superRefine((value, ctx) => {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    ctx.addIssue({ code: "custom", message: "must be a JSON object" });
    return;
  }
  const problem = findValuesProblem(value, [], 1);
  if (problem) ctx.addIssue({ code: "custom", message: problem.message, path: problem.path });
});

export const CHANGE_KINDS = ["added", "changed", "deprecated", "removed", "fixed", "security"] as const;
export const chartChange = z.object({
  kind: z.enum(CHANGE_KINDS),
  description: z.string().min(1).max(2000),
  links: z.array(z.object({ name: z.string(), url: z.string() })).optional(),
});
export type ChartChange = z.infer<typeof chartChange>;

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  cursor: z.string().max(500).optional(),
});

export const booleanFlag = z.union([z.boolean(), z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1")]);

export type Page<T> = { items: T[]; nextCursor: string | null };
