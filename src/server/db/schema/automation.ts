import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import type { RepositorySyncResult } from "@/contracts/repositories";
import { POLICY_MODES } from "@/contracts/policies";
import { tenants } from "./tenants";
import { utcTimestamp } from "./columns";

/** A Helm HTTP chart repository whose index is imported into the catalog. */
export const helmRepositories = pgTable(
  "helm_repositories",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull().unique(),
    url: text("url").notNull(),
    intervalSeconds: integer("interval_seconds").notNull().default(600),
    enabled: boolean("enabled").notNull().default(true),
    lastSyncAt: utcTimestamp("last_sync_at"),
    lastError: text("last_error"),
    // What the last sync did, so that the UI can show per-version errors without a new sync.
    lastResult: jsonb("last_result").$type<RepositorySyncResult>(),
    // Which instance syncs it now, and until when that claim holds: several instances share the database.
    leaseOwner: text("lease_owner"),
    leaseUntil: utcTimestamp("lease_until"),
    createdAt: utcTimestamp("created_at").notNull().defaultNow(),
  },
  (t) => [check("helm_repositories_interval_check", sql`${t.intervalSeconds} >= 60`)],
);

/**
 * Upgrades a chart's releases on their own to the highest version in `range`. A policy with
 * a tenant covers that tenant; one without covers every tenant that has no policy of its own.
 */
export const upgradePolicies = pgTable(
  "upgrade_policies",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    chartName: text("chart_name").notNull(),
    tenantId: uuid("tenant_id").references(() => tenants.id),
    range: text("range").notNull(),
    includePrerelease: boolean("include_prerelease").notNull().default(false),
    mode: text("mode", { enum: POLICY_MODES }).notNull().default("auto"),
    canary: integer("canary"),
    maxFailures: integer("max_failures"),
    concurrency: integer("concurrency").notNull().default(1),
    enabled: boolean("enabled").notNull().default(true),
    createdBy: text("created_by").notNull(),
    createdAt: utcTimestamp("created_at").notNull().defaultNow(),
    lastEvaluatedAt: utcTimestamp("last_evaluated_at"),
    // No foreign key: batches already point here (policy_id), and a batch row is never deleted.
    lastBatchId: uuid("last_batch_id"),
    // The target a notify policy last announced: it announces each target once, not every minute.
    lastNotifiedVersion: text("last_notified_version"),
    // Which instance evaluates it now (the periodic evaluation), and until when.
    leaseOwner: text("lease_owner"),
    leaseUntil: utcTimestamp("lease_until"),
  },
  (t) => [
    uniqueIndex("upgrade_policies_tenant_chart_key").on(t.chartName, t.tenantId).where(sql`${t.tenantId} is not null`),
    uniqueIndex("upgrade_policies_fleet_chart_key").on(t.chartName).where(sql`${t.tenantId} is null`),
    index("upgrade_policies_tenant_idx").on(t.tenantId),
    check("upgrade_policies_mode_check", sql`${t.mode} in ('auto', 'notify')`),
    check("upgrade_policies_concurrency_check", sql`${t.concurrency} between 1 and 32`),
  ],
);
