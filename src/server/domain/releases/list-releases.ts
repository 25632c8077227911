import { and, desc, eq, ilike, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Page } from "@/contracts/common";
import type { ListReleasesQuery, ReleaseView } from "@/contracts/releases";
import { releases, tenants } from "@/server/db/schema";
import { tenantCondition } from "../access/rules";
import type { DomainContext } from "../context";
import { cursorParts, decodeCursor, pageOf } from "../pagination";
import { findVisibleTenant } from "../tenants/list-tenants";
import { releaseColumns, toReleaseView } from "./views";

export const DEFAULT_RELEASE_PAGE = 100;

/** Releases newest first, filtered and paged by keyset (created_at, id). */
export async function listReleases({ ctx, query }: { ctx: DomainContext; query: ListReleasesQuery }): Promise<Page<ReleaseView>> {
  const limit = query.limit ?? DEFAULT_RELEASE_PAGE;
  const conditions: (SQL | undefined)[] = [tenantCondition(ctx.actor, releases.tenantId)];
  if (query.tenant) {
    const tenant = await findVisibleTenant(ctx.db, ctx.actor, query.tenant);
    if (!tenant) return { items: [], nextCursor: null };
    conditions.push(eq(releases.tenantId, tenant.id));
  }
  if (query.chart) conditions.push(eq(releases.chartName, query.chart));
  if (query.status) conditions.push(eq(releases.status, query.status));
  if (query.version) conditions.push(eq(releases.chartVersion, query.version));
  if (query.q) conditions.push(ilike(releases.name, `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`));
  if (query.cursor) {
    const [createdAt, id] = decodeCursor(query.cursor, z.tuple([cursorParts.timestamp, cursorParts.id]));
    conditions.push(sql`(${releases.createdAt}, ${releases.id}) < (${createdAt}::timestamptz, ${id}::uuid)`);
  }
  const rows = await ctx.db
    .select({ ...releaseColumns, createdAtKey: sql<string>`${releases.createdAt}::text` })
    .from(releases)
    .innerJoin(tenants, eq(tenants.id, releases.tenantId))
    .where(and(...conditions))
    .orderBy(desc(releases.createdAt), desc(releases.id))
    .limit(limit + 1);
  const page = pageOf(rows, limit, (r) => [r.createdAtKey, r.release.id]);
  return { items: page.items.map(toReleaseView), nextCursor: page.nextCursor };
}
