import { sql } from "drizzle-orm";
import { bigint, boolean, check, index, integer, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { DELIVERY_STATUSES } from "@/contracts/webhooks";
import { tenants } from "./tenants";
import { utcTimestamp } from "./columns";

export const webhooks = pgTable(
  "webhooks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    url: text("url").notNull(),
    // Event types it subscribes to; matched with `type = any(events)` when an event is emitted.
    events: text("events").array().notNull(),
    // null: a platform webhook, which receives every tenant's events.
    tenantId: uuid("tenant_id").references(() => tenants.id),
    // The signing secret, sealed by crypto/secret-box (never stored in clear).
    secret: text("secret").notNull(),
    enabled: boolean("enabled").notNull().default(true),
    createdBy: text("created_by").notNull(),
    createdAt: utcTimestamp("created_at").notNull().defaultNow(),
  },
  (t) => [index("webhooks_tenant_idx").on(t.tenantId)],
);

/**
 * The outbox: one row per event and webhook, written in the transaction of the change it
 * reports, so an event exists exactly when its change committed. The runner delivers it.
 */
export const webhookDeliveries = pgTable(
  "webhook_deliveries",
  {
    // A sequence, not a uuid: "newest first" must be a total order for cursor paging.
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    webhookId: uuid("webhook_id")
      .notNull()
      .references(() => webhooks.id, { onDelete: "cascade" }),
    eventId: text("event_id").notNull(),
    eventType: text("event_type").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    status: text("status", { enum: DELIVERY_STATUSES }).notNull().default("PENDING"),
    attempts: integer("attempts").notNull().default(0),
    // When the runner may next try it; a claim moves it ahead, so a crashed runner's claim runs out.
    nextAttemptAt: utcTimestamp("next_attempt_at").notNull().defaultNow(),
    responseStatus: integer("response_status"),
    lastError: text("last_error"),
    createdAt: utcTimestamp("created_at").notNull().defaultNow(),
    deliveredAt: utcTimestamp("delivered_at"),
  },
  (t) => [
    // The runner's claim: due PENDING rows, oldest due first.
    index("webhook_deliveries_due_idx").on(t.status, t.nextAttemptAt),
    index("webhook_deliveries_webhook_idx").on(t.webhookId, t.id),
    check("webhook_deliveries_status_check", sql`${t.status} in ('PENDING', 'DELIVERED', 'FAILED')`),
  ],
);
