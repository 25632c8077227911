import { and, asc, eq, lt, ne, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Page } from "@/contracts/common";
import type { NeedsUpgradeItem } from "@/contracts/releases";
import type { DbOrTx } from "@/server/db/client";
import type { Actor } from "@/server/auth/actor";
import { releases, tenants } from "@/server/db/schema";
import { tenantCondition } from "../access/rules";
import type { DomainContext } from "../context";
import { cursorParts, decodeCursor, pageOf } from "../pagination";
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

/** Releases below the target, in rollout order (environment, tenant slug, release name, then namespace). */
export async function findReleasesNeedingUpgrade({
  ctx,
  filter,
  limit,
  cursor,
}: {
  ctx: DomainContext;
  filter: NeedsUpgradeFilter;
  limit?: number;
  cursor?: string;
}): Promise<Page<NeedsUpgradeItem>> {
  const conditions = await needsUpgradeConditions(ctx.db, ctx.actor, filter);
  if (!conditions) return { items: [], nextCursor: null };
  if (cursor) {
    const [key, id] = decodeCursor(cursor, z.tuple([cursorParts.text, cursorParts.id]));
    conditions.push(sql`(${releases.rolloutKey}, ${releases.id}) > (${key}, ${id}::uuid)`);
  }
  // Only the columns the answer shows: pages of these are the unit of the 80k stream.
  const query = ctx.db
    .select({ release: releaseViewFields, rolloutKey: releases.rolloutKey, tenantSlug: tenants.slug })
    .from(releases)
    .innerJoin(tenants, eq(tenants.id, releases.tenantId))
    .where(and(...conditions))
    .orderBy(asc(releases.rolloutKey), asc(releases.id));
  const rows = limit === undefined ? await query : await query.limit(limit + 1);
  const page = limit === undefined ? { items: rows, nextCursor: null } : pageOf(rows, limit, (r) => [r.rolloutKey, r.release.id]);
  // A fleet runs a handful of versions: classify each once, not once per release.
  const types = new Map<string | null, ReturnType<typeof upgradeType>>();
  const typeOf = (version: string | null) => {
    if (!types.has(version)) types.set(version, upgradeType(version, filter.targetVersion));
    return types.get(version)!;
  };
  return {
    items: page.items.map((r) => ({ ...toReleaseView(r), upgradeType: typeOf(r.release.chartVersion) })),
    nextCursor: page.nextCursor,
  };
}

/**
 * Every release below the target, as consecutive pages in rollout order, each its own short
 * query: a caller that streams them holds one page at a time, and other requests (and, on the
 * embedded database, other queries) run between pages. Not one snapshot: a release that moves
 * while the pages are read is listed as it was when its page was read.
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
}): AsyncGenerator<NeedsUpgradeItem[]> {
  let next = cursor;
  do {
    const page = await findReleasesNeedingUpgrade({ ctx, filter, limit: pageSize, cursor: next });
    yield page.items;
    next = page.nextCursor ?? undefined;
  } while (next);
}
