import { and, desc, eq, getTableColumns, lt, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { ListAuditQuery, AuditEventView } from "@/contracts/audit";
import type { Page } from "@/contracts/common";
import { auditEvents, releases, tenants } from "@/server/db/schema";
import { tenantCondition } from "../access/rules";
import type { DomainContext } from "../context";
import { cursorParts, decodeCursor, pageOf } from "../pagination";
import { findVisibleTenant } from "../tenants/list-tenants";

export const DEFAULT_AUDIT_PAGE = 100;

/**
 * Who did what, newest first, and to which release by name (one join, not a lookup per row).
 * Tenant-bound actors see their tenant's events only.
 */
export async function listAuditEvents({ ctx, query }: { ctx: DomainContext; query: ListAuditQuery }): Promise<Page<AuditEventView>> {
  const limit = query.limit ?? DEFAULT_AUDIT_PAGE;
  const conditions: (SQL | undefined)[] = [tenantCondition(ctx.actor, auditEvents.tenantId)];
  if (query.tenant) {
    const tenant = await findVisibleTenant(ctx.db, ctx.actor, query.tenant);
    if (!tenant) return { items: [], nextCursor: null };
    conditions.push(eq(auditEvents.tenantId, tenant.id));
  }
  if (query.action) conditions.push(eq(auditEvents.action, query.action));
  if (query.releaseId) conditions.push(eq(auditEvents.releaseId, query.releaseId));
  if (query.cursor) conditions.push(lt(auditEvents.id, decodeCursor(query.cursor, z.tuple([cursorParts.sequence]))[0]));
  const rows = await ctx.db
    .select({ ...getTableColumns(auditEvents), releaseName: releases.name, releaseNamespace: releases.namespace, releaseTenantSlug: tenants.slug })
    .from(auditEvents)
    .leftJoin(releases, eq(releases.id, auditEvents.releaseId))
    .leftJoin(tenants, eq(tenants.id, releases.tenantId))
    .where(and(...conditions))
    .orderBy(desc(auditEvents.id))
    .limit(limit + 1);
  const page = pageOf(rows, limit, (r) => [r.id]);
  return {
    items: page.items.map(({ releaseName, releaseNamespace, releaseTenantSlug, ...e }) => ({
      ...e,
      release: releaseName !== null && releaseNamespace !== null && releaseTenantSlug !== null ? { tenantSlug: releaseTenantSlug, namespace: releaseNamespace, name: releaseName } : null,
      createdAt: e.createdAt.toISOString(),
    })),
    nextCursor: page.nextCursor,
  };
}
