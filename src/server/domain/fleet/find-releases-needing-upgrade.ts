import { and, asc, eq, lt, ne, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Page } from "@/contracts/common";
import type { NeedsUpgradeItem } from "@/contracts/releases";
import type { DbOrTx } from "@/server/db/client";
import { rowsOf } from "@/server/db/raw";
import type { Actor } from "@/server/auth/actor";
import { releases, tenants } from "@/server/db/schema";
import { tenantCondition } from "../access/rules";
import type { DomainContext } from "../context";
import { cursorParts, decodeCursor, encodeCursor, pageOf } from "../pagination";
import { releaseViewFields, toReleaseView } from "../releases/views";
import { findVisibleTenant } from "../tenants/list-tenants";
import { semverSortKey, upgradeType } from "../versions/semver";

const ENVIRONMENT_RANK = { development: 0, staging: 1, production: 2 } as const;

/**
 * The rollout order as one byte-ordered string: environment (development, staging,
 * production), tenant slug, release name, namespace. All parts are DNS labels, which never
 * contain the space separator, and a space sorts below every label character, so comparing
 * keys compares the tuples.
 */
export function rolloutKey(environment: keyof typeof ENVIRONMENT_RANK, tenantSlug: string, name: string, namespace: string): string {
  return `${ENVIRONMENT_RANK[environment]} ${tenantSlug} ${name} ${namespace}`;
}

export interface NeedsUpgradeFilter {
  chartName: string;
  targetVersion: string;
  tenant?: string;
}

/**
 * The WHERE clause of "runs a deployed version below the target": a range scan on
 * (chart_name, version_sort), never a load-and-filter in JavaScript.
 */
export async function needsUpgradeConditions(db: DbOrTx, actor: Actor, filter: NeedsUpgradeFilter): Promise<SQL[] | null> {
  const conditions: SQL[] = [eq(releases.chartName, filter.chartName), lt(releases.versionSort, semverSortKey(filter.targetVersion)), ne(releases.status, "UNINSTALLED")];
  const scope = tenantCondition(actor, releases.tenantId);
  if (scope) conditions.push(scope);
  if (filter.tenant) {
    const tenant = await findVisibleTenant(db, actor, filter.tenant);
    if (!tenant) return null;
    conditions.push(eq(releases.tenantId, tenant.id));
  }
  return conditions;
}

type PageQuery = { ctx: DomainContext; filter: NeedsUpgradeFilter; limit?: number; cursor?: string };

/** The conditions of one page: the filter's, and past the cursor's key when there is one. */
async function pageConditions({ ctx, filter, cursor }: PageQuery): Promise<SQL[] | null> {
  const conditions = await needsUpgradeConditions(ctx.db, ctx.actor, filter);
  if (!conditions || !cursor) return conditions;
  const [key, id] = decodeCursor(cursor, z.tuple([cursorParts.text, cursorParts.id]));
  conditions.push(sql`(${releases.rolloutKey}, ${releases.id}) > (${key}, ${id}::uuid)`);
  return conditions;
}

/** Releases below the target, in rollout order (environment, tenant slug, release name, then namespace). */
export async function findReleasesNeedingUpgrade({ ctx, filter, limit, cursor }: PageQuery): Promise<Page<NeedsUpgradeItem>> {
  const conditions = await pageConditions({ ctx, filter, cursor });
  if (!conditions) return { items: [], nextCursor: null };
  // Only the columns the answer shows: pages of these are the unit of the 80k stream.
  const query = ctx.db
    .select({ release: releaseViewFields, rolloutKey: releases.rolloutKey, tenantSlug: tenants.slug })
    .from(releases)
    .innerJoin(tenants, eq(tenants.id, releases.tenantId))
    .where(and(...conditions))
    .orderBy(asc(releases.rolloutKey), asc(releases.id));
  const rows = limit === undefined ? await query : await query.limit(limit + 1);
  const page = limit === undefined ? { items: rows, nextCursor: null } : pageOf(rows, limit, (r) => [r.rolloutKey, r.release.id]);
  return {
    items: page.items.map((r) => ({ ...toReleaseView(r), upgradeType: upgradeTypeOf(r.release.chartVersion, filter.targetVersion) })),
    nextCursor: page.nextCursor,
  };
}

type UpgradeTypes = Record<string, ReturnType<typeof upgradeType>>;

/** Never null here: the conditions keep only releases that run a version below the target. */
const upgradeTypeOf = (version: string | null, target: string) => knownUpgradeTypes(target, [version])[version!]!;
const upgradeTypesByTarget = new Map<string, UpgradeTypes>();

/**
 * upgradeType(version, target) for every version asked, remembered per target: a fleet runs
 * a handful of versions, and the function is pure, so what one answer learns serves the next.
 * Bounded: a caller cycling through targets starts the memory over rather than growing it.
 */
function knownUpgradeTypes(target: string, versions: (string | null)[] = []): UpgradeTypes {
  let types = upgradeTypesByTarget.get(target);
  if (!types) {
    if (upgradeTypesByTarget.size >= 256) upgradeTypesByTarget.clear();
    types = {};
    upgradeTypesByTarget.set(target, types);
  }
  for (const version of versions) {
    if (version !== null && !(version in types)) types[version] = upgradeType(version, target);
  }
  return types;
}

/**
 * One page as the JSON text of the answer, built by PostgreSQL: the same items, in the same
 * order and with the same fields as findReleasesNeedingUpgrade serialized, without building
 * an object per release in JavaScript. That is most of the CPU of a first-page request over
 * HTTP, and the garbage its allocations leave is what made the slowest 1% slow.
 *
 * upgradeType comes from a version→type map passed as a parameter; a version the map lacks
 * (one no earlier answer met) is classified and the page read again, which converges at once.
 */
export async function needsUpgradePageJson(query: PageQuery & { limit: number }): Promise<{ json: string; nextCursor: string | null }> {
  const conditions = await pageConditions(query);
  if (!conditions) return { json: "[]", nextCursor: null };
  const { ctx, filter, limit } = query;
  for (let attempt = 0; ; attempt++) {
    const types = knownUpgradeTypes(filter.targetVersion);
    // The columns of the view, named and ordered as toReleaseView writes them: row_to_json of
    // "item" is then the text JSON.stringify writes for the same object.
    const [row] = rowsOf<{ json: string | null; last_key: string | null; last_id: string | null; more: boolean | null; missing: string[] | null }>(
      await ctx.db.execute(sql`
        with page as (
          select ${releases.id} as id, ${releases.tenantId} as "tenantId", ${tenants.slug} as "tenantSlug", ${releases.name} as name,
                 ${releases.namespace} as namespace, ${releases.chartName} as "chartName", ${releases.chartVersion} as "chartVersion",
                 ${releases.appVersion} as "appVersion", ${releases.deployedRevision} as revision, ${releases.latestRevision} as "latestRevision",
                 ${releases.status} as status, to_char(${releases.updatedAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as "updatedAt",
                 ${JSON.stringify(types)}::jsonb ->> ${releases.chartVersion} as "upgradeType",
                 ${releases.rolloutKey} as rollout_key, row_number() over (order by ${releases.rolloutKey}, ${releases.id}) as position
          from ${releases} inner join ${tenants} on ${tenants.id} = ${releases.tenantId}
          where ${and(...conditions)}
          order by ${releases.rolloutKey}, ${releases.id}
          limit ${limit + 1}
        )
        select string_agg(row_to_json(item)::text, ',' order by page.position) filter (where page.position <= ${limit}) as json,
               max(page.rollout_key) filter (where page.position = ${limit}) as last_key,
               max(page.id::text) filter (where page.position = ${limit}) as last_id,
               bool_or(page.position > ${limit}) as more,
               array_agg(distinct page."chartVersion") filter (where page."chartVersion" is not null and page."upgradeType" is null) as missing
        from page
        cross join lateral (select page.id, page."tenantId", page."tenantSlug", page.name, page.namespace, page."chartName", page."chartVersion",
                                   page."appVersion", page.revision, page."latestRevision", page.status, page."updatedAt", page."upgradeType") item`),
    );
    const missing = (row?.missing ?? []).filter((v) => !(v in types));
    if (missing.length > 0 && attempt < 2) {
      knownUpgradeTypes(filter.targetVersion, missing);
      continue;
    }
    return {
      json: `[${row?.json ?? ""}]`,
      nextCursor: row?.more && row.last_key !== null && row.last_id !== null ? encodeCursor([row.last_key, row.last_id]) : null,
    };
  }
}

/**
 * Every release below the target, as consecutive pages of JSON text in rollout order, each
 * its own short query: a caller that streams them holds one page at a time, and other
 * requests (and, on the embedded database, other queries) run between pages. Not one
 * snapshot: a release that moves while the pages are read is listed as it was when its page
 * was read.
 */
export async function* pagesOfReleasesNeedingUpgrade({
  ctx,
  filter,
  cursor,
  pageSize = 1000,
}: {
  ctx: DomainContext;
  filter: NeedsUpgradeFilter;
  cursor?: string;
  pageSize?: number;
}): AsyncGenerator<string> {
  let next = cursor;
  do {
    const page = await needsUpgradePageJson({ ctx, filter, limit: pageSize, cursor: next });
    yield page.json;
    next = page.nextCursor ?? undefined;
  } while (next);
}
