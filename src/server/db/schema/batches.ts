import { sql } from "drizzle-orm";
import { bigint, check, index, integer, jsonb, pgTable, primaryKey, text, unique, uuid } from "drizzle-orm/pg-core";
import { BATCH_ITEM_STATUSES, BATCH_STATUSES, type BatchOptions } from "@/contracts/batches";
import { releases } from "./releases";
import { tenants } from "./tenants";
import { utcTimestamp } from "./columns";

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
    // Which app instance runs it, and until when its claim holds without a heartbeat.
    runnerId: text("runner_id"),
    runnerLeaseExpiresAt: utcTimestamp("runner_lease_expires_at"),
    createdAt: utcTimestamp("created_at").notNull().defaultNow(),
    startedAt: utcTimestamp("started_at"),
    finishedAt: utcTimestamp("finished_at"),
  },
  (t) => [
    index("batches_created_idx").on(t.createdAt),
    index("batches_runnable_idx").on(t.status).where(sql`${t.status} in ('QUEUED', 'RUNNING')`),
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
    tenantSlug: text("tenant_slug").notNull(),
    releaseName: text("release_name").notNull(),
    fromVersion: text("from_version"),
    // The DEPLOYED revision before this batch touched the release: what a batch rollback restores.
    fromRevision: integer("from_revision"),
    status: text("status", { enum: BATCH_ITEM_STATUSES }).notNull(),
    revision: integer("revision"),
    error: text("error"),
    startedAt: utcTimestamp("started_at"),
    finishedAt: utcTimestamp("finished_at"),
  },
  (t) => [
    primaryKey({ name: "batch_items_pkey", columns: [t.batchId, t.position] }),
    // One batch never upgrades a release twice.
    unique("batch_items_batch_release_key").on(t.batchId, t.releaseId),
    check("batch_items_status_check", sql`${t.status} in (${list(BATCH_ITEM_STATUSES)})`),
  ],
);

/**
 * Every change of a batch or of one of its items, in order. Any app instance streams
 * progress from here, and Last-Event-ID is a position in this log.
 */
export const batchEvents = pgTable(
  "batch_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    batchId: uuid("batch_id")
      .notNull()
      .references(() => batches.id),
    payload: jsonb("payload").notNull(),
    createdAt: utcTimestamp("created_at").notNull().defaultNow(),
  },
  (t) => [index("batch_events_batch_idx").on(t.batchId, t.id)],
);
