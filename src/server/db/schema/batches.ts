import { sql } from "drizzle-orm";
import { bigint, check, index, integer, jsonb, pgTable, primaryKey, smallint, text, unique, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { BATCH_ITEM_STATUSES, BATCH_REASON_CODES, BATCH_STATUSES, type BatchOptions } from "@/contracts/batches";
import { releases } from "./releases";
import { tenants } from "./tenants";
import { utcTimestamp } from "./columns";
import { upgradePolicies } from "./automation";

const list = (values: readonly string[]) => sql.raw(values.map((s) => `'${s}'`).join(", "));

export const batches = pgTable(
  "batches",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    kind: text("kind", { enum: ["upgrade", "rollback"] }).notNull(),
    chartName: text("chart_name").notNull(),
    targetVersion: text("target_version").notNull(),
    status: text("status", { enum: BATCH_STATUSES }).notNull(),
    options: jsonb("options").$type<BatchOptions>().notNull(),
    // The batch this one rolls back, for kind = 'rollback'.
    rollbackOf: uuid("rollback_of"),
    // A tenant-scoped creator's tenant; null for platform-wide batches.
    tenantId: uuid("tenant_id").references(() => tenants.id),
    createdBy: text("created_by").notNull(),
    // The upgrade policy that made it, if one did.
    policyId: uuid("policy_id").references(() => upgradePolicies.id, { onDelete: "set null" }),
    // Which app instance runs it, and until when its claim holds without a heartbeat.
    runnerId: text("runner_id"),
    runnerLeaseExpiresAt: utcTimestamp("runner_lease_expires_at"),
    createdAt: utcTimestamp("created_at").notNull().defaultNow(),
    startedAt: utcTimestamp("started_at"),
    finishedAt: utcTimestamp("finished_at"),
    // The last number given to one of its events. Events are numbered while this row is
    // locked by the same transaction, so numbers follow commit order without a gap.
    eventSeq: bigint("event_seq", { mode: "number" }).notNull().default(0),
    // Item counts by bucket (see countItems), kept in the transaction of every item change:
    // reading a 100k-item batch never counts its items.
    itemsTotal: integer("items_total").notNull().default(0),
    itemsPending: integer("items_pending").notNull().default(0),
    itemsUpgraded: integer("items_upgraded").notNull().default(0),
    itemsFailed: integer("items_failed").notNull().default(0),
    itemsSkipped: integer("items_skipped").notNull().default(0),
    // Of the skipped, those cancelled: a cancelled batch reports them as cancelled, not as skipped.
    itemsCancelled: integer("items_cancelled").notNull().default(0),
  },
  (t) => [
    index("batches_created_idx").on(t.createdAt),
    index("batches_runnable_idx").on(t.status).where(sql`${t.status} in ('QUEUED', 'RUNNING')`),
    // A policy never has two unfinished batches, however many instances evaluate it at once.
    uniqueIndex("batches_policy_unfinished_key").on(t.policyId).where(sql`${t.policyId} is not null and ${t.status} in ('QUEUED', 'RUNNING', 'PAUSED')`),
    check("batches_status_check", sql`${t.status} in (${list(BATCH_STATUSES)})`),
    check("batches_kind_check", sql`${t.kind} in ('upgrade', 'rollback')`),
  ],
);

export const batchItems = pgTable(
  "batch_items",
  {
    batchId: uuid("batch_id")
      .notNull()
      .references(() => batches.id),
    position: integer("position").notNull(),
    releaseId: uuid("release_id")
      .notNull()
      .references(() => releases.id),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    // 1-based rank among the items of the same tenant: what a tenant-scoped reader sees as the position.
    tenantPosition: integer("tenant_position").notNull(),
    // The environment rank (development 0, staging 1, production 2): items of a wave run only once the earlier waves have settled.
    wave: smallint("wave").notNull(),
    tenantSlug: text("tenant_slug").notNull(),
    releaseName: text("release_name").notNull(),
    // Copied like the name: a release is named by tenant, namespace and name together.
    namespace: text("namespace").notNull(),
    fromVersion: text("from_version"),
    // The DEPLOYED revision before this batch touched the release: what a batch rollback restores.
    fromRevision: integer("from_revision"),
    // For a rollback batch: the revision to restore.
    targetRevision: integer("target_revision"),
    status: text("status", { enum: BATCH_ITEM_STATUSES }).notNull(),
    revision: integer("revision"),
    error: text("error"),
    // What `error` is about, when it is one of the reasons clients word themselves (BATCH_REASON_CODES).
    reasonCode: text("reason_code", { enum: BATCH_REASON_CODES }),
    startedAt: utcTimestamp("started_at"),
    finishedAt: utcTimestamp("finished_at"),
  },
  (t) => [
    primaryKey({ name: "batch_items_pkey", columns: [t.batchId, t.position] }),
    // One batch never upgrades a release twice.
    unique("batch_items_batch_release_key").on(t.batchId, t.releaseId),
    index("batch_items_tenant_idx").on(t.batchId, t.tenantId, t.tenantPosition),
    index("batch_items_status_idx").on(t.batchId, t.status, t.position),
    check("batch_items_status_check", sql`${t.status} in (${list(BATCH_ITEM_STATUSES)})`),
  ],
);

/**
 * Every change of a batch or of one of its items, numbered 1, 2, … per batch in commit
 * order (see batches.event_seq). Any app instance streams progress from here.
 */
export const batchEvents = pgTable(
  "batch_events",
  {
    batchId: uuid("batch_id")
      .notNull()
      .references(() => batches.id),
    seq: bigint("seq", { mode: "number" }).notNull(),
    // The tenant of the item an item event reports; null for events of the batch itself.
    tenantId: uuid("tenant_id"),
    payload: jsonb("payload").notNull(),
    createdAt: utcTimestamp("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "batch_events_pkey", columns: [t.batchId, t.seq] }), index("batch_events_tenant_idx").on(t.batchId, t.tenantId, t.seq)],
);
