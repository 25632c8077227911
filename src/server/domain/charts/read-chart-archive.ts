import { createHash } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { Parser, type ReadEntry } from "tar";
import { isScalar, parseDocument, visit } from "yaml";
import { publishChartInput, type PublishChartInput } from "@/contracts/charts";
import { CHANGE_KINDS } from "@/contracts/common";
import { findUnsafeInput, MAX_INPUT_DEPTH } from "@/server/boundary/find-unsafe-input";
import { DomainError, type FieldError } from "../errors";

export const MAX_UNPACKED_BYTES = 20 * 1024 * 1024;
/** Each file read from an archive (Chart.yaml, values.yaml, values.schema.json). */
export const MAX_FILE_BYTES = 1024 * 1024;
/** A YAML document once its aliases are expanded, measured as JSON: what would be stored and served. */
export const MAX_EXPANDED_BYTES = 10 * 1024 * 1024;
export const MAX_YAML_ALIASES = 100;
const WANTED = ["Chart.yaml", "values.yaml", "values.schema.json"] as const;
const FILE_TYPES = new Set(["File", "OldFile", "ContiguousFile", "Directory"]);

const refuse = (message: string, code: "UNPROCESSABLE" | "BAD_REQUEST" | "PAYLOAD_TOO_LARGE" = "UNPROCESSABLE") => new DomainError(code, message);

/** Every entry must be a plain file or directory strictly inside the archive, as Helm's loader insists. */
function checkEntry(entry: ReadEntry): void {
  const p = entry.path;
  if (!FILE_TYPES.has(entry.type)) throw refuse(`the archive contains a ${entry.type} entry (${p}); links and special files are not allowed`);
  if (p.startsWith("/") || /^[A-Za-z]:/.test(p) || p.includes("\\")) throw refuse(`the archive contains an absolute path: ${p}`);
  if (p.split("/").includes("..")) throw refuse(`the archive contains a path leaving the chart: ${p}`);
}

function untar(tarBytes: Buffer): { topDir: string; files: Map<string, Buffer> } {
  const files = new Map<string, Buffer>();
  const topDirs = new Set<string>();
  let failure: unknown;
  const parser = new Parser({
    strict: true,
    onReadEntry(entry) {
      try {
        if (failure) return entry.resume();
        checkEntry(entry);
        const [top, ...rest] = entry.path.replace(/^\.\//, "").split("/");
        if (top) topDirs.add(top);
        const inner = rest.join("/");
        if (entry.type !== "Directory" && (WANTED as readonly string[]).includes(inner)) {
          if (entry.size > MAX_FILE_BYTES) throw refuse(`${inner} is ${entry.size} bytes; files in a chart archive are read up to ${MAX_FILE_BYTES} bytes`, "PAYLOAD_TOO_LARGE");
          const chunks: Buffer[] = [];
          entry.on("data", (c: Buffer) => chunks.push(c));
          entry.on("end", () => files.set(inner, Buffer.concat(chunks)));
        } else entry.resume();
      } catch (e) {
        failure = e;
        entry.resume();
      }
    },
  });
  parser.on("error", (e: unknown) => (failure ??= e));
  parser.end(tarBytes);
  if (failure instanceof DomainError) throw failure;
  if (failure) throw refuse(`not a valid tar archive: ${failure instanceof Error ? failure.message : String(failure)}`);
  if (topDirs.size !== 1) throw refuse(`a chart archive holds exactly one top-level directory <name>/ (found ${topDirs.size})`);
  return { topDir: [...topDirs][0]!, files };
}

function parseChanges(raw: unknown): PublishChartInput["changes"] {
  if (typeof raw !== "string") return [];
  const parsed = parseLimitedYaml(raw, "the artifacthub.io/changes annotation");
  if (!Array.isArray(parsed)) throw refuse("the artifacthub.io/changes annotation must be a YAML list");
  return parsed.map((item) =>
    typeof item === "string"
      ? { kind: "changed" as const, description: item }
      : {
          kind: (CHANGE_KINDS as readonly string[]).includes(item?.kind) ? item.kind : "changed",
          description: String(item?.description ?? ""),
          ...(Array.isArray(item?.links) ? { links: item.links } : {}),
        },
  );
}

/**
 * The size of a value as JSON once aliases are expanded. Aliases share one object, so the
 * walk is memoised by identity: linear in the document, however often a node is repeated.
 */
function expandedSize(value: unknown, what: string, memo = new Map<object, number>(), depth = 1): number {
  if (value === null || typeof value !== "object") return typeof value === "string" ? value.length + 2 : String(value).length;
  const known = memo.get(value);
  if (known !== undefined) return known;
  // Deeper than any values may nest (and an alias to its own ancestor never ends).
  if (depth > MAX_INPUT_DEPTH) throw refuse(`${what} nests deeper than ${MAX_INPUT_DEPTH} levels`);
  let size = 2;
  for (const [key, child] of Object.entries(value)) size += key.length + 4 + expandedSize(child, what, memo, depth + 1);
  memo.set(value, size);
  return size;
}

/**
 * YAML with limits: aliases counted, the expanded document measured, and duplicate keys
 * found with a set per mapping (the parser's own check compares every pair of keys, which
 * took minutes on 130k keys).
 */
export function parseLimitedYaml(text: string, what: string): unknown {
  let value: unknown;
  try {
    const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
    if (doc.errors.length > 0) throw doc.errors[0];
    let aliases = 0;
    visit(doc, {
      Alias() {
        if (++aliases > MAX_YAML_ALIASES) throw refuse(`${what} has more than ${MAX_YAML_ALIASES} aliases`);
      },
      Map(_, map) {
        const seen = new Set<string>();
        for (const pair of map.items) {
          const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
          if (seen.has(key)) throw refuse(`${what} is not valid YAML: map keys must be unique (${key.slice(0, 100)} repeats)`);
          seen.add(key);
        }
      },
    });
    value = doc.toJS({ maxAliasCount: -1 });
  } catch (e) {
    if (e instanceof DomainError) throw e;
    throw refuse(`${what} is not valid YAML: ${e instanceof Error ? e.message : String(e)}`);
  }
  const size = expandedSize(value, what);
  if (size > MAX_EXPANDED_BYTES) throw refuse(`${what} expands to about ${size} bytes with its aliases; at most ${MAX_EXPANDED_BYTES} are accepted`, "PAYLOAD_TOO_LARGE");
  return value;
}

const yamlObject = (bytes: Buffer | undefined, what: string): Record<string, unknown> => {
  if (!bytes) return {};
  const value = parseLimitedYaml(bytes.toString("utf8"), what);
  if (value === null || value === undefined) return {};
  if (typeof value !== "object" || Array.isArray(value)) throw refuse(`${what} must hold a YAML mapping`);
  const unsafe = findUnsafeInput(value, { prefix: [what] });
  if (unsafe) throw new DomainError("VALIDATION_FAILED", `${what} holds text that cannot be stored: ${unsafe.path} ${unsafe.message}`, { errors: [unsafe] });
  return value as Record<string, unknown>;
};

/**
 * Reads a packaged chart (.tgz) into a publish request without writing anything. The
 * decompressed size is capped while inflating, so a gzip bomb stops at the cap.
 */
export function readChartArchive(archive: Uint8Array): { input: PublishChartInput; digest: string } {
  const bytes = Buffer.from(archive);
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) throw refuse("the body is not a gzip archive (expected a packaged chart .tgz)", "BAD_REQUEST");
  let tarBytes: Buffer;
  try {
    tarBytes = gunzipSync(bytes, { maxOutputLength: MAX_UNPACKED_BYTES });
  } catch (e) {
    if (e instanceof RangeError || (e as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
      throw refuse(`the archive unpacks to more than ${MAX_UNPACKED_BYTES} bytes`, "PAYLOAD_TOO_LARGE");
    }
    throw refuse(`the body is not a valid gzip archive: ${e instanceof Error ? e.message : String(e)}`, "BAD_REQUEST");
  }
  const { topDir, files } = untar(tarBytes);
  const chartYaml = files.get("Chart.yaml");
  if (!chartYaml) throw refuse(`the archive has no ${topDir}/Chart.yaml`);
  const chart = yamlObject(chartYaml, "Chart.yaml");
  const annotations = (chart.annotations ?? {}) as Record<string, unknown>;
  let valuesSchema: unknown = undefined;
  const schemaBytes = files.get("values.schema.json");
  if (schemaBytes) {
    try {
      valuesSchema = JSON.parse(schemaBytes.toString("utf8"));
    } catch {
      throw refuse("values.schema.json is not valid JSON");
    }
    const unsafe = findUnsafeInput(valuesSchema, { prefix: ["values.schema.json"] });
    if (unsafe) throw new DomainError("VALIDATION_FAILED", `values.schema.json cannot be stored: ${unsafe.path} ${unsafe.message}`, { errors: [unsafe] });
  }
  const candidate = {
    name: chart.name,
    version: typeof chart.version === "string" ? chart.version : String(chart.version ?? ""),
    appVersion: chart.appVersion === undefined ? String(chart.version ?? "") : String(chart.appVersion),
    defaultValues: yamlObject(files.get("values.yaml"), "values.yaml"),
    valuesSchema,
    changes: parseChanges(annotations["artifacthub.io/changes"]),
    deprecated: chart.deprecated === true,
  };
  const parsed = publishChartInput.safeParse(candidate);
  if (!parsed.success) {
    const errors: FieldError[] = parsed.error.issues.map((i) => ({ path: `Chart.yaml:${i.path.join(".")}`, message: i.message }));
    throw new DomainError("VALIDATION_FAILED", "the chart archive's metadata is invalid", { errors });
  }
  return { input: parsed.data, digest: createHash("sha256").update(bytes).digest("hex") };
}
