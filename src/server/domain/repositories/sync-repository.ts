import { createHash, randomUUID } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { chartName as chartNameSchema } from "@/contracts/common";
import type { RepositorySyncResult } from "@/contracts/repositories";
import { chartVersions, helmRepositories } from "@/server/db/schema";
import { requirePlatformAdmin } from "../access/rules";
import { recordAuditEvent } from "../audit/record-audit-event";
import { publishChartVersion } from "../charts/publish-chart-version";
import { evaluateAfterPublish } from "../policies/evaluate-policies";
import { readChartArchive } from "../charts/read-chart-archive";
import type { DomainContext } from "../context";
import { DomainError, notFound } from "../errors";
import { isStrictSemver } from "../versions/semver";
import { DEFAULT_FETCH_LIMITS, fetchLimited, type FetchLimits } from "./fetch-limited";
import { archiveUrlOf, indexUrlOf, readRepositoryIndex, type IndexEntry } from "./read-repository-index";
import { claimRepository, releaseRepository, renewRepository } from "./repository-lease";
import type { RepositoryRow } from "./repository-view";

/** index.yaml is read up to the size the YAML reader accepts once expanded. */
export const MAX_INDEX_BYTES = 10 * 1024 * 1024;
/** The same cap as a .tgz upload's body. */
export const MAX_ARCHIVE_BYTES = 10 * 1024 * 1024;

export type SyncLimits = Omit<FetchLimits, "maxBytes"> & { maxIndexBytes?: number; maxArchiveBytes?: number };

/** A sync asked for by a caller: refused (409) while another sync of the same repository runs anywhere. */
export async function syncRepository({ ctx, id, limits }: { ctx: DomainContext; id: string; limits?: SyncLimits }): Promise<RepositorySyncResult> {
  requirePlatformAdmin(ctx.actor, "sync chart repositories");
  const owner = `sync:${randomUUID()}`;
  const claimed = await claimRepository(ctx.db, id, owner);
  if (!claimed) {
    const [exists] = await ctx.db.select({ id: helmRepositories.id }).from(helmRepositories).where(eq(helmRepositories.id, id));
    if (!exists) throw notFound(`chart repository ${id}`);
    throw new DomainError("CONFLICT", "this repository is being synced already; try again when that sync has ended");
  }
  return syncClaimedRepository({ ctx, repository: claimed, owner, limits });
}

/**
 * Imports every version the index lists that the catalog lacks, then records the outcome
 * and gives the claim back. Each version is its own publish (the same path as a .tgz
 * upload), so one bad archive never keeps the others out.
 */
export async function syncClaimedRepository({
  ctx,
  repository,
  owner,
  limits = DEFAULT_FETCH_LIMITS,
}: {
  ctx: DomainContext;
  repository: RepositoryRow;
  owner: string;
  limits?: SyncLimits;
}): Promise<RepositorySyncResult> {
  const result: RepositorySyncResult = { imported: [], unchanged: 0, errors: [] };
  let failure: string | null = null;
  try {
    try {
      const entries = readRepositoryIndex(await fetchLimited(indexUrlOf(repository.url), { ...limits, maxBytes: limits.maxIndexBytes ?? MAX_INDEX_BYTES }));
      await importEntries(ctx, repository, entries, limits, result, () => renewRepository(ctx.db, repository.id, owner));
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      failure = e.message;
    }
    if (!failure && result.errors.length > 0) failure = `${result.errors.length} chart version(s) could not be imported; the first: ${result.errors[0]!.name} ${result.errors[0]!.version}: ${result.errors[0]!.message}`;
    await ctx.db.transaction(async (tx) => {
      await tx
        .update(helmRepositories)
        .set({ lastSyncAt: new Date(), lastError: failure, lastResult: result, leaseOwner: null, leaseUntil: null })
        .where(and(eq(helmRepositories.id, repository.id), eq(helmRepositories.leaseOwner, owner)));
      await recordAuditEvent(tx, ctx, {
        action: "repository.sync",
        targetType: "repository",
        targetId: repository.id,
        summary: { name: repository.name, imported: result.imported, unchanged: result.unchanged, errors: result.errors.length, ...(failure ? { error: failure.slice(0, 500) } : {}) },
      });
    });
    for (const chartName of new Set(result.imported.map((v) => v.name))) await evaluateAfterPublish(ctx.db, chartName, ctx.requestId);
    return result;
  } finally {
    // After an unexpected failure the claim is given back at once rather than when it lapses.
    await releaseRepository(ctx.db, repository.id, owner).catch(() => undefined);
  }
}

async function importEntries(
  ctx: DomainContext,
  repository: RepositoryRow,
  entries: IndexEntry[],
  limits: SyncLimits,
  result: RepositorySyncResult,
  renewLease: () => Promise<void>,
): Promise<void> {
  const names = [...new Set(entries.map((e) => e.name))];
  const known = new Map<string, string | null>();
  for (let i = 0; i < names.length; i += 500) {
    const rows = await ctx.db
      .select({ name: chartVersions.name, version: chartVersions.version, digest: chartVersions.digest })
      .from(chartVersions)
      .where(inArray(chartVersions.name, names.slice(i, i + 500)));
    for (const r of rows) known.set(`${r.name}@${r.version}`, r.digest);
  }
  for (const entry of entries) {
    const error = (message: string) => result.errors.push({ name: entry.name, version: entry.version, message });
    if (!chartNameSchema.safeParse(entry.name).success) {
      error("not a valid chart name");
      continue;
    }
    if (!isStrictSemver(entry.version)) {
      error("not a strict semantic version");
      continue;
    }
    if (!entry.digest || !/^[0-9a-f]{64}$/.test(entry.digest)) {
      error("the index gives no sha256 digest for it");
      continue;
    }
    const key = `${entry.name}@${entry.version}`;
    const knownDigest = known.get(key);
    if (knownDigest === entry.digest) {
      result.unchanged++;
      continue;
    }
    if (knownDigest) {
      error(`already published from an archive with digest ${knownDigest}; the index now says ${entry.digest}. Chart versions are immutable: it was not overwritten`);
      continue;
    }
    // Unknown, or published as JSON (no digest): the archive decides, and publish refuses different content.
    try {
      await renewLease();
      const url = entry.urls[0];
      if (!url) throw new DomainError("UNPROCESSABLE", "the index gives no URL for its archive");
      const archive = await fetchLimited(archiveUrlOf(repository.url, url), { ...limits, maxBytes: limits.maxArchiveBytes ?? MAX_ARCHIVE_BYTES });
      const digest = createHash("sha256").update(archive).digest("hex");
      if (digest !== entry.digest) throw new DomainError("UNPROCESSABLE", `the archive's sha256 is ${digest}, the index says ${entry.digest}`);
      const { input } = readChartArchive(archive);
      if (input.name !== entry.name || input.version !== entry.version) {
        throw new DomainError("UNPROCESSABLE", `the archive holds ${input.name} ${input.version}, not what the index lists`);
      }
      // Policies see the whole sync at once (below): one batch to the highest new version, not one per version.
      const { created } = await publishChartVersion({ ctx, input, source: { kind: "archive", digest }, evaluatePolicies: false });
      if (created) result.imported.push({ name: entry.name, version: entry.version });
      else result.unchanged++;
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      error(e.message);
    }
  }
}
