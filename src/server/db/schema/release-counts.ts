import { integer, pgTable, primaryKey, smallint, text, uuid } from "drizzle-orm/pg-core";
import { byteOrderedText } from "./columns";

/*
 * The versions map in O(versions): how many releases (not uninstalled) run each deployed
 * chart version, kept by statement-level triggers on `releases` (drizzle/0002_*.sql) in the
 * same transaction as every change, whoever writes it: the use cases, the seeds, plain SQL.
 * Application code only reads these tables.
 *
 * No CHECK (releases >= 0): PostgreSQL checks the row an INSERT … ON CONFLICT proposes
 * before it finds the conflict, so a decrement could not go through the one ordered upsert
 * that keeps concurrent writers from deadlocking. tests/integration/version-counts.test.ts
 * proves the counts equal a recount instead.
 */

/** Per tenant: what a tenant-bound caller sees. */
export const releaseVersionCounts = pgTable(
  "release_version_counts",
  {
    chartName: text("chart_name").notNull(),
    tenantId: uuid("tenant_id").notNull(),
    version: text("version").notNull(),
    versionSort: byteOrderedText("version_sort").notNull(),
    releases: integer("releases").notNull(),
  },
  (t) => [primaryKey({ name: "release_version_counts_pkey", columns: [t.chartName, t.tenantId, t.version] })],
);

/**
 * The same counts summed over tenants into 16 shards (by the tenant id's first byte): a
 * fleet-wide read adds up at most 16 rows per version however many tenants there are,
 * while upgrades in different tenants seldom wait for the same row.
 */
export const releaseVersionTotals = pgTable(
  "release_version_totals",
  {
    chartName: text("chart_name").notNull(),
    version: text("version").notNull(),
    shard: smallint("shard").notNull(),
    versionSort: byteOrderedText("version_sort").notNull(),
    releases: integer("releases").notNull(),
  },
  (t) => [primaryKey({ name: "release_version_totals_pkey", columns: [t.chartName, t.version, t.shard] })],
);
