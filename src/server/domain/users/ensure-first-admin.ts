import { and, eq, isNull, sql } from "drizzle-orm";
import { generatePassword, hashPassword, verifyPassword } from "@/server/auth/password";
import { systemActor } from "@/server/auth/actor";
import type { Database } from "@/server/db/client";
import { users } from "@/server/db/schema";
import { recordAuditEvent } from "../audit/record-audit-event";
import { DomainError } from "../errors";
import { insertUser } from "./create-user";

export const DEFAULT_ADMIN_EMAIL = "admin@helmdeck.local";

export type FirstAdminOutcome =
  | { kind: "unchanged" }
  | { kind: "created"; email: string; generatedPassword: string | null }
  | { kind: "reset"; email: string };

const audit = { actor: systemActor("system:bootstrap") };

/**
 * Start-up: make sure someone can sign in to the UI.
 * - HELMDECK_ADMIN_EMAIL + HELMDECK_ADMIN_PASSWORD: that account exists, is an active
 *   platform-admin and has that password (so restarting with them is also how a lost admin
 *   password is recovered);
 * - otherwise, when no active platform-admin exists, one is created with a generated
 *   password that the caller prints once: only its hash is stored.
 */
export async function ensureFirstAdmin(db: Database, config: { email?: string; password?: string }): Promise<FirstAdminOutcome> {
  const email = (config.email ?? DEFAULT_ADMIN_EMAIL).trim().toLowerCase();
  if (config.password) {
    const [existing] = await db.select().from(users).where(eq(users.email, email));
    if (!existing) return createAdmin(db, email, config.password, null);
    const current = existing.role === "platform-admin" && existing.disabledAt === null && (await verifyPassword(config.password, existing.passwordHash));
    if (current) return { kind: "unchanged" };
    const passwordHash = await hashPassword(config.password);
    await db.transaction(async (tx) => {
      await tx.update(users).set({ passwordHash, role: "platform-admin", tenantId: null, disabledAt: null }).where(eq(users.id, existing.id));
      await recordAuditEvent(tx, audit, { action: "user.reset", targetType: "user", targetId: existing.id, summary: { email, reason: "HELMDECK_ADMIN_PASSWORD" } });
    });
    return { kind: "reset", email };
  }
  const [anyAdmin] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.role, "platform-admin"), isNull(users.disabledAt)))
    .limit(1);
  if (anyAdmin) return { kind: "unchanged" };
  const [taken] = await db.select({ n: sql<number>`1` }).from(users).where(eq(users.email, email));
  if (taken) return { kind: "unchanged" }; // someone holds the address; the operator must set HELMDECK_ADMIN_PASSWORD
  const password = generatePassword();
  return createAdmin(db, email, password, password);
}

async function createAdmin(db: Database, email: string, password: string, generatedPassword: string | null): Promise<FirstAdminOutcome> {
  try {
    await insertUser(db, audit, { email, name: "Platform admin", password, role: "platform-admin", tenantId: null });
    return { kind: "created", email, generatedPassword };
  } catch (e) {
    // Another instance starting at the same moment created it: its log shows the password.
    if (e instanceof DomainError && e.code === "CONFLICT") return { kind: "unchanged" };
    throw e;
  }
}
