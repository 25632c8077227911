import { sql } from "drizzle-orm";
import { bigint, check, index, integer, json, jsonb, pgTable, primaryKey, text, uuid } from "drizzle-orm/pg-core";
import { utcTimestamp } from "./columns";

export const IDEMPOTENCY_STATES = ["in-flight", "committed", "answered"] as const;

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

/**
 * One row per (caller, Idempotency-Key). `state` says how far the first request got:
 * in-flight (claimed, nothing committed: the key is freed if it fails), committed (its
 * operation's first transaction committed, written in that same transaction: it is never
 * run again) and answered (the answer is kept byte for byte and replayed).
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    caller: text("caller").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    // Which request holds the claim, so that only it can free or answer it.
    claimId: uuid("claim_id").notNull(),
    state: text("state", { enum: IDEMPOTENCY_STATES }).notNull().default("in-flight"),
    statusCode: integer("status_code"),
    // The answer's exact bytes (text, not jsonb, so that a replay keeps key order), never a secret.
    responseBody: text("response_body"),
    headers: json("headers").$type<Record<string, string>>(),
    createdAt: utcTimestamp("created_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "idempotency_keys_pkey", columns: [t.caller, t.key] }),
    check("idempotency_keys_state_check", sql`${t.state} in ('in-flight', 'committed', 'answered')`),
  ],
);

/** Small facts about this installation, e.g. that the demo seed has been claimed. */
export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  updatedAt: utcTimestamp("updated_at").notNull().defaultNow(),
});
