import { sql } from "drizzle-orm";
import {
  check,
  foreignKey,
  index,
  integer,
  json,
  pgTable,
  primaryKey,
  text,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import type { JsonObject } from "@/contracts/common";
import { RELEASE_STATUSES, OPERATIONS } from "@/contracts/releases";
import { byteOrderedText, utcTimestamp } from "./columns";
import { tenants } from "./tenants";

const statusList = sql.raw(RELEASE_STATUSES.map((s) => `'${s}'`).join(", "));
const operationList = sql.raw(OPERATIONS.map((s) => `'${s}'`).join(", "));

/**
 * A release row carries a denormalised copy of what runs (its DEPLOYED revision) and of
 * its latest revision, maintained in the same transaction as the revisions, so that fleet
 * queries over 100k releases read one indexed table.
 */
export const releases = pgTable(
  "releases",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    name: text("name").notNull(),
    namespace: text("namespace").notNull(),
    chartName: text("chart_name").notNull(),
    status: text("status", { enum: RELEASE_STATUSES }).notNull(),
    latestRevision: integer("latest_revision").notNull(),
    // What runs: null until a revision is DEPLOYED.
    deployedRevision: integer("deployed_revision"),
    chartVersion: text("chart_version"),
    versionSort: byteOrderedText("version_sort"),
    // rolloutKey(environment, tenant slug, name, namespace): batches and needs-upgrade walk
    // this index in order instead of sorting the whole fleet per request.
    rolloutKey: byteOrderedText("rollout_key").notNull().default(""),
    appVersion: text("app_version"),
    // The pending operation holding this release, if any, and until when it holds it.
    pendingRevision: integer("pending_revision"),
    leaseExpiresAt: utcTimestamp("lease_expires_at"),
    createdAt: utcTimestamp("created_at").notNull().defaultNow(),
    updatedAt: utcTimestamp("updated_at").notNull().defaultNow(),
  },
  (t) => [
    unique("releases_tenant_namespace_name_key").on(t.tenantId, t.namespace, t.name),
    index("releases_chart_version_idx").on(t.chartName, t.versionSort),
    index("releases_chart_rollout_idx").on(t.chartName, t.rolloutKey, t.id),
    index("releases_created_idx").on(t.createdAt, t.id),
    index("releases_tenant_created_idx").on(t.tenantId, t.createdAt, t.id),
    index("releases_pending_idx").on(t.leaseExpiresAt).where(sql`${t.pendingRevision} is not null`),
    check("releases_status_check", sql`${t.status} in (${statusList})`),
    check("releases_lease_check", sql`(${t.pendingRevision} is null) = (${t.leaseExpiresAt} is null)`),
  ],
);

/** Values are `json`, not `jsonb`: stored as sent, keys in the order the user and the chart wrote them. */
export const revisions = pgTable(
  "revisions",
  {
    releaseId: uuid("release_id")
      .notNull()
      .references(() => releases.id),
    revision: integer("revision").notNull(),
    // Points at the revision before this one, so the database itself refuses a gap.
    previousRevision: integer("previous_revision").generatedAlwaysAs(
      sql`case when revision > 1 then revision - 1 end`,
    ),
    chartVersion: text("chart_version").notNull(),
    appVersion: text("app_version").notNull(),
    valuesOverride: json("values_override").$type<JsonObject>().notNull(),
    userValues: json("user_values").$type<JsonObject>().notNull(),
    values: json("values").$type<JsonObject>().notNull(),
    status: text("status", { enum: RELEASE_STATUSES }).notNull(),
    operation: text("operation", { enum: OPERATIONS }).notNull(),
    description: text("description").notNull(),
    error: text("error"),
    actor: text("actor").notNull(),
    batchId: uuid("batch_id"),
    startedAt: utcTimestamp("started_at").notNull().defaultNow(),
    finishedAt: utcTimestamp("finished_at"),
  },
  (t) => [
    primaryKey({ name: "revisions_pkey", columns: [t.releaseId, t.revision] }),
    foreignKey({
      name: "revisions_previous_fkey",
      columns: [t.releaseId, t.previousRevision],
      foreignColumns: [t.releaseId, t.revision],
    }),
    uniqueIndex("revisions_one_deployed_idx").on(t.releaseId).where(sql`${t.status} = 'DEPLOYED'`),
    index("revisions_deployed_chart_idx").on(t.chartVersion).where(sql`${t.status} = 'DEPLOYED'`),
    check("revisions_revision_check", sql`${t.revision} >= 1`),
    check("revisions_status_check", sql`${t.status} in (${statusList})`),
    check("revisions_operation_check", sql`${t.operation} in (${operationList})`),
  ],
);

/**
 * With the helm driver a namespace is real, and tenants may share a kube context: each
 * (kube context, namespace) belongs to the first tenant that installs into it. The primary
 * key decides a race; the install's transaction writes the claim.
 */
export const namespaceClaims = pgTable(
  "namespace_claims",
  {
    // "" is the driver's default context (a tenant without kubeContext).
    kubeContext: text("kube_context").notNull(),
    namespace: text("namespace").notNull(),
    tenantId: uuid("tenant_id")
      .notNull()
      .references(() => tenants.id),
    createdAt: utcTimestamp("created_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ name: "namespace_claims_pkey", columns: [t.kubeContext, t.namespace] })],
);
