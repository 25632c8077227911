import { bigint, index, integer, jsonb, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { utcTimestamp } from "./columns";

export const auditEvents = pgTable(
  "audit_events",
  {
    // A sequence, not a uuid: "newest first" must be a total order for cursor paging.
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    actor: text("actor").notNull(),
    actorRole: text("actor_role").notNull(),
    // The tenant the change concerns; null for platform-wide changes (tokens, charts).
    tenantId: uuid("tenant_id"),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id"),
    releaseId: uuid("release_id"),
    revision: integer("revision"),
    summary: jsonb("summary").$type<Record<string, unknown>>().notNull().default({}),
    requestId: text("request_id"),
    createdAt: utcTimestamp("created_at").notNull().defaultNow(),
  },
  (t) => [index("audit_events_tenant_idx").on(t.tenantId, t.id), index("audit_events_release_idx").on(t.releaseId, t.id)],
);

export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    caller: text("caller").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    // null while the first request is still being answered.
    statusCode: integer("status_code"),
    response: jsonb("response"),
    headers: jsonb("headers").$type<Record<string, string>>(),
    createdAt: utcTimestamp("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "idempotency_keys_pkey", columns: [t.caller, t.key] })],
);

/** Small facts about this installation, e.g. that the demo seed has been claimed. */
export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  updatedAt: utcTimestamp("updated_at").notNull().defaultNow(),
});
