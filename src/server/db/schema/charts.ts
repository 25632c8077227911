import { boolean, index, json, jsonb, pgTable, text, unique, uuid } from "drizzle-orm/pg-core";
import type { ChartChange, JsonObject } from "@/contracts/common";
import { byteOrderedText, utcTimestamp } from "./columns";

export const chartVersions = pgTable(
  "chart_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    version: text("version").notNull(),
    // semverSortKey(version): ordering by it in SQL is semver precedence.
    versionSort: byteOrderedText("version_sort").notNull(),
    appVersion: text("app_version").notNull(),
    defaultValues: json("default_values").$type<JsonObject>().notNull(),
    valuesSchema: json("values_schema").$type<JsonObject>(),
    changes: jsonb("changes").$type<ChartChange[]>().notNull().default([]),
    deprecated: boolean("deprecated").notNull().default(false),
    // Where the chart came from: a JSON publish or an imported .tgz (sha256 of the archive).
    source: text("source").notNull().default("json"),
    digest: text("digest"),
    createdBy: text("created_by").notNull(),
    createdAt: utcTimestamp("created_at").notNull().defaultNow(),
  },
  (t) => [unique("chart_versions_name_version_key").on(t.name, t.version), index("chart_versions_name_sort_idx").on(t.name, t.versionSort)],
);
