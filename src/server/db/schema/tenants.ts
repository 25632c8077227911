import { sql } from "drizzle-orm";
import { check, jsonb, pgTable, text, uuid } from "drizzle-orm/pg-core";
import type { MaintenanceWindow, Quota } from "@/contracts/tenants";
import { utcTimestamp } from "./columns";

export const tenants = pgTable(
  "tenants",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull().unique(),
    name: text("name").notNull(),
    environment: text("environment", { enum: ["development", "staging", "production"] }).notNull(),
    maintenanceWindow: jsonb("maintenance_window").$type<MaintenanceWindow>(),
    quota: jsonb("quota").$type<Quota>(),
    // Which kube context the helm driver uses for this tenant; null means the default one.
    kubeContext: text("kube_context"),
    createdAt: utcTimestamp("created_at").notNull().defaultNow(),
  },
  (t) => [
    check("tenants_environment_check", sql`${t.environment} in ('development', 'staging', 'production')`),
    check("tenants_slug_check", sql`${t.slug} ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'`),
  ],
);
