import { sql } from "drizzle-orm";
import { check, index, pgTable, text, uuid } from "drizzle-orm/pg-core";
import { ROLES } from "@/contracts/auth";
import { tenants } from "./tenants";
import { utcTimestamp } from "./columns";

const roleList = sql.raw(ROLES.map((r) => `'${r}'`).join(", "));

export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    name: text("name").notNull(),
    // sha256 of the secret; the secret itself is shown once and never stored.
    tokenHash: text("token_hash").notNull().unique(),
    // The first characters of the secret, so a person can recognise a token in a list.
    prefix: text("prefix").notNull(),
    role: text("role", { enum: ROLES }).notNull(),
    tenantId: uuid("tenant_id").references(() => tenants.id),
    createdBy: text("created_by").notNull(),
    createdAt: utcTimestamp("created_at").notNull().defaultNow(),
    expiresAt: utcTimestamp("expires_at"),
    revokedAt: utcTimestamp("revoked_at"),
    lastUsedAt: utcTimestamp("last_used_at"),
  },
  (t) => [
    check("api_tokens_role_check", sql`${t.role} in (${roleList})`),
    // A tenant-admin always belongs to one tenant; platform admins to none.
    check(
      "api_tokens_tenant_check",
      sql`(${t.role} = 'platform-admin' and ${t.tenantId} is null) or ${t.role} = 'viewer' or (${t.role} = 'tenant-admin' and ${t.tenantId} is not null)`,
    ),
  ],
);

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull().unique(),
    name: text("name").notNull(),
    // scrypt$N$r$p$salt$hash; null for users who only sign in through OIDC.
    passwordHash: text("password_hash"),
    role: text("role", { enum: ROLES }).notNull(),
    tenantId: uuid("tenant_id").references(() => tenants.id),
    createdAt: utcTimestamp("created_at").notNull().defaultNow(),
    disabledAt: utcTimestamp("disabled_at"),
  },
  (t) => [
    check("users_role_check", sql`${t.role} in (${roleList})`),
    check(
      "users_tenant_check",
      sql`(${t.role} = 'platform-admin' and ${t.tenantId} is null) or ${t.role} = 'viewer' or (${t.role} = 'tenant-admin' and ${t.tenantId} is not null)`,
    ),
  ],
);

export const loginAttempts = pgTable(
  "login_attempts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull(),
    succeeded: text("succeeded", { enum: ["yes", "no"] }).notNull(),
    createdAt: utcTimestamp("created_at").notNull().defaultNow(),
  },
  (t) => [index("login_attempts_email_idx").on(t.email, t.createdAt)],
);

/**
 * One row per signed-in browser. The session cookie (a JWT) carries the row's id, and a
 * request is signed in only while its row is neither revoked (sign-out) nor expired: signing
 * out ends that session on the server, not just in that browser, and leaves the user's other
 * sessions alone.
 */
export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id),
    createdAt: utcTimestamp("created_at").notNull().defaultNow(),
    // Absolute: a session that keeps being used still ends here.
    expiresAt: utcTimestamp("expires_at").notNull(),
    revokedAt: utcTimestamp("revoked_at"),
  },
  (t) => [index("sessions_user_idx").on(t.userId), index("sessions_expires_idx").on(t.expiresAt)],
);
