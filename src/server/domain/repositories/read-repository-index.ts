import { parseLimitedYaml } from "../charts/read-chart-archive";
import { DomainError } from "../errors";

/** One chart version as a repository's index.yaml lists it. */
export interface IndexEntry {
  name: string;
  version: string;
  /** sha256 of the archive, hex, as `helm repo index` writes it. */
  digest: string | null;
  urls: string[];
}

/** Where a repository's index lives: `<url>/index.yaml`, whether or not the URL ends in a slash. */
export const indexUrlOf = (repositoryUrl: string) => new URL("index.yaml", repositoryUrl.endsWith("/") ? repositoryUrl : `${repositoryUrl}/`).toString();

/**
 * An entry's archive URL: absolute, or relative to the repository (as Helm resolves it,
 * against the repository URL with a trailing slash), never relative to the index itself.
 */
export const archiveUrlOf = (repositoryUrl: string, entryUrl: string) => new URL(entryUrl, repositoryUrl.endsWith("/") ? repositoryUrl : `${repositoryUrl}/`).toString();

const text = (v: unknown) => (typeof v === "string" ? v : typeof v === "number" ? String(v) : "");

/** Parses index.yaml under the archive reader's YAML limits (aliases, expanded size, duplicate keys). */
export function readRepositoryIndex(bytes: Buffer): IndexEntry[] {
  const doc = parseLimitedYaml(bytes.toString("utf8"), "index.yaml");
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) throw new DomainError("UNPROCESSABLE", "index.yaml must hold a YAML mapping");
  const entries = (doc as Record<string, unknown>).entries;
  if (entries === undefined || entries === null) return [];
  if (typeof entries !== "object" || Array.isArray(entries)) throw new DomainError("UNPROCESSABLE", "index.yaml: entries must be a mapping of chart names to versions");
  const found: IndexEntry[] = [];
  for (const [chart, versions] of Object.entries(entries as Record<string, unknown>)) {
    if (!Array.isArray(versions)) continue;
    for (const v of versions as Array<Record<string, unknown> | null>) {
      if (!v || typeof v !== "object") continue;
      found.push({
        name: text(v.name) || chart,
        version: text(v.version),
        digest: typeof v.digest === "string" ? v.digest.toLowerCase().replace(/^sha256:/, "") : null,
        urls: Array.isArray(v.urls) ? v.urls.filter((u): u is string => typeof u === "string") : [],
      });
    }
  }
  return found;
}
