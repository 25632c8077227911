import { and, asc, eq, lt, ne, sql, type SQL } from "drizzle-orm";
import type { Page } from "@/contracts/common";
import type { NeedsUpgradeItem } from "@/contracts/releases";
import type { DbOrTx } from "@/server/db/client";
import type { Actor } from "@/server/auth/actor";
import { releases, tenants } from "@/server/db/schema";
import { tenantCondition } from "../access/rules";
import type { DomainContext } from "../context";
import { decodeCursor, pageOf } from "../pagination";
import { toReleaseView } from "../releases/views";
import { findVisibleTenant } from "../tenants/list-tenants";
import { semverSortKey, upgradeType } from "../versions/semver";

/** development, staging, production: the order batches roll out in. */
export const environmentRank = sql<number>`(case ${tenants.environment} when 'development' then 0 when 'staging' then 1 else 2 end)`;
// Byte order, so that PGlite and a PostgreSQL with any locale agree on the rollout order.
export const slugOrder = sql`${tenants.slug} collate "C"`;
export const nameOrder = sql`${releases.name} collate "C"`;

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

/** Releases below the target, in rollout order (environment, tenant slug, release name). */
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
    const [rank, slug, name, id] = decodeCursor(cursor, 4);
    conditions.push(sql`(${environmentRank}, ${slugOrder}, ${nameOrder}, ${releases.id}) > (${Number(rank)}, ${String(slug)}, ${String(name)}, ${String(id)}::uuid)`);
  }
  const query = ctx.db
    .select({ release: releases, tenantSlug: tenants.slug, rank: environmentRank })
    .from(releases)
    .innerJoin(tenants, eq(tenants.id, releases.tenantId))
    .where(and(...conditions))
    .orderBy(asc(environmentRank), asc(slugOrder), asc(nameOrder), asc(releases.id));
  const rows = limit === undefined ? await query : await query.limit(limit + 1);
  const page = limit === undefined ? { items: rows, nextCursor: null } : pageOf(rows, limit, (r) => [Number(r.rank), r.tenantSlug, r.release.name, r.release.id]);
  return {
    items: page.items.map((r) => ({ ...toReleaseView(r), upgradeType: upgradeType(r.release.chartVersion, filter.targetVersion)! })),
    nextCursor: page.nextCursor,
  };
}
