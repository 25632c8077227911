import { randomBytes } from "node:crypto";
import { and, desc, eq, lt } from "drizzle-orm";
import { z } from "zod";
import type { Page } from "@/contracts/common";
import { WEBHOOK_TEST_EVENT, type CreatedWebhookView, type CreateWebhookInput, type DeliveryView, type ListDeliveriesQuery, type UpdateWebhookInput, type WebhookView } from "@/contracts/webhooks";
import { sealSecret } from "@/server/crypto/secret-box";
import { tenants, webhookDeliveries, webhooks } from "@/server/db/schema";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { DomainContext } from "../context";
import { forbidden, invalid } from "../errors";
import { cursorParts, decodeCursor, pageOf } from "../pagination";
import { findVisibleTenant } from "../tenants/list-tenants";
import { findVisibleWebhook, requireWebhookManager, toDeliveryView, toWebhookView, urlForAudit, visibleWebhooks, webhookColumns } from "./webhook-view";

export const DEFAULT_DELIVERIES_PAGE = 50;

/** The tenant a new webhook belongs to: a tenant-admin's own, or the one a platform-admin names (none: every tenant). */
async function ownerOf(ctx: DomainContext, slug: string | undefined): Promise<{ id: string; slug: string } | null> {
  if (ctx.actor.role === "tenant-admin") {
    const [own] = await ctx.db.select({ id: tenants.id, slug: tenants.slug }).from(tenants).where(eq(tenants.id, ctx.actor.tenantId!));
    if (!own) throw forbidden("the caller's tenant no longer exists");
    if (slug !== undefined && slug !== own.slug) throw forbidden("a tenant-admin may only create webhooks for its own tenant");
    return own;
  }
  if (slug === undefined) return null;
  const tenant = await findVisibleTenant(ctx.db, ctx.actor, slug);
  if (!tenant) throw invalid([{ path: "tenant", message: `no tenant ${slug}` }]);
  return { id: tenant.id, slug: tenant.slug };
}

/**
 * A secret the caller gives is sealed and never shown again; without one, Helmdeck makes
 * one and answers it this once (like an API token), since the receiver needs it to verify.
 */
export async function createWebhook({ ctx, input }: { ctx: DomainContext; input: CreateWebhookInput }): Promise<CreatedWebhookView> {
  requireWebhookManager(ctx.actor);
  const owner = await ownerOf(ctx, input.tenant);
  const generated = input.secret === undefined ? `whsec_${randomBytes(24).toString("base64url")}` : null;
  const sealed = await sealSecret(ctx.db, input.secret ?? generated!);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(webhooks)
      .values({ url: input.url, events: input.events, tenantId: owner?.id ?? null, secret: sealed, enabled: input.enabled, createdBy: ctx.actor.name })
      .returning();
    await recordAuditEvent(tx, ctx, {
      action: "webhook.create",
      targetType: "webhook",
      targetId: row!.id,
      tenantId: row!.tenantId,
      summary: { origin: urlForAudit(row!.url), events: row!.events, enabled: row!.enabled },
    });
    const view = toWebhookView({ webhook: row!, tenantSlug: owner?.slug ?? null });
    return generated ? { ...view, secret: generated } : view;
  });
}

export async function listWebhooks({ ctx }: { ctx: DomainContext }): Promise<WebhookView[]> {
  requireWebhookManager(ctx.actor);
  const rows = await ctx.db
    .select(webhookColumns)
    .from(webhooks)
    .leftJoin(tenants, eq(tenants.id, webhooks.tenantId))
    .where(visibleWebhooks(ctx.actor))
    .orderBy(desc(webhooks.createdAt), desc(webhooks.id));
  return rows.map(toWebhookView);
}

export async function getWebhook({ ctx, webhookId }: { ctx: DomainContext; webhookId: string }): Promise<WebhookView> {
  requireWebhookManager(ctx.actor);
  return toWebhookView(await findVisibleWebhook(ctx.db, ctx.actor, webhookId));
}

export async function updateWebhook({ ctx, webhookId, input }: { ctx: DomainContext; webhookId: string; input: UpdateWebhookInput }): Promise<WebhookView> {
  requireWebhookManager(ctx.actor);
  await findVisibleWebhook(ctx.db, ctx.actor, webhookId);
  const sealed = input.secret === undefined ? undefined : await sealSecret(ctx.db, input.secret);
  return ctx.db.transaction(async (tx) => {
    const found = await findVisibleWebhook(tx, ctx.actor, webhookId, { lock: true });
    const [row] = await tx
      .update(webhooks)
      .set({ url: input.url, events: input.events, enabled: input.enabled, secret: sealed })
      .where(eq(webhooks.id, webhookId))
      .returning();
    await recordAuditEvent(tx, ctx, {
      action: "webhook.update",
      targetType: "webhook",
      targetId: webhookId,
      tenantId: row!.tenantId,
      // Which fields changed, and the new origin and events; a new secret is reported as changed, never shown.
      summary: {
        changed: Object.keys(input).filter((k) => input[k as keyof UpdateWebhookInput] !== undefined),
        origin: urlForAudit(row!.url),
        events: row!.events,
        enabled: row!.enabled,
      },
    });
    return toWebhookView({ webhook: row!, tenantSlug: found.tenantSlug });
  });
}

/** Its delivery history goes with it (the audit log keeps that it existed). */
export async function deleteWebhook({ ctx, webhookId }: { ctx: DomainContext; webhookId: string }): Promise<void> {
  requireWebhookManager(ctx.actor);
  await ctx.db.transaction(async (tx) => {
    const { webhook } = await findVisibleWebhook(tx, ctx.actor, webhookId, { lock: true });
    await tx.delete(webhooks).where(eq(webhooks.id, webhookId));
    await recordAuditEvent(tx, ctx, { action: "webhook.delete", targetType: "webhook", targetId: webhookId, tenantId: webhook.tenantId, summary: { origin: urlForAudit(webhook.url) } });
  });
}

/** Newest first, paged by the delivery's sequence number. */
export async function listDeliveries({ ctx, webhookId, query }: { ctx: DomainContext; webhookId: string; query: ListDeliveriesQuery }): Promise<Page<DeliveryView>> {
  requireWebhookManager(ctx.actor);
  await findVisibleWebhook(ctx.db, ctx.actor, webhookId);
  const limit = query.limit ?? DEFAULT_DELIVERIES_PAGE;
  const after = query.cursor ? decodeCursor(query.cursor, z.tuple([cursorParts.sequence]))[0] : undefined;
  const rows = await ctx.db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.webhookId, webhookId), after === undefined ? undefined : lt(webhookDeliveries.id, after)))
    .orderBy(desc(webhookDeliveries.id))
    .limit(limit + 1);
  const page = pageOf(rows, limit, (r) => [r.id]);
  return { items: page.items.map(toDeliveryView), nextCursor: page.nextCursor };
}

/** Queues a `webhook.test` event for this webhook alone, whatever it subscribes to (disabled ones too: it then fails, which is the answer). */
export async function sendTestEvent({ ctx, webhookId }: { ctx: DomainContext; webhookId: string }): Promise<DeliveryView> {
  requireWebhookManager(ctx.actor);
  await findVisibleWebhook(ctx.db, ctx.actor, webhookId);
  return ctx.db.transaction(async (tx) => {
    const { webhook, tenantSlug } = await findVisibleWebhook(tx, ctx.actor, webhookId, { lock: true });
    const [row] = await tx
      .insert(webhookDeliveries)
      .values({ webhookId, eventId: crypto.randomUUID(), eventType: WEBHOOK_TEST_EVENT, payload: { webhookId, tenant: tenantSlug, requestedBy: ctx.actor.name } })
      .returning();
    await recordAuditEvent(tx, ctx, { action: "webhook.test", targetType: "webhook", targetId: webhookId, tenantId: webhook.tenantId, summary: { deliveryId: row!.id } });
    return toDeliveryView(row!);
  });
}
