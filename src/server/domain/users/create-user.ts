import { eq } from "drizzle-orm";
import type { CreateUserInput, UserView } from "@/contracts/users";
import { hashPassword } from "@/server/auth/password";
import type { DbOrTx } from "@/server/db/client";
import { isUniqueViolation } from "@/server/db/errors";
import { tenants, users } from "@/server/db/schema";
import { requirePlatformAdmin } from "../access/rules";
import { recordAuditEvent, type AuditContext } from "../audit/record-audit-event";
import type { DomainContext } from "../context";
import { DomainError } from "../errors";
import { toUserView } from "./user-view";

/**
 * Inserts one account and its audit event; shared by the API and start-up (first admin,
 * demo accounts, which pass one precomputed hash of their published password). The password
 * is hashed before the transaction: scrypt is slow on purpose and must not hold a connection.
 */
export async function insertUser(db: DbOrTx, audit: AuditContext, input: CreateUserInput, options: { passwordHash?: string } = {}): Promise<UserView> {
  const passwordHash = options.passwordHash ?? (input.password ? await hashPassword(input.password) : null);
  const email = input.email.trim().toLowerCase();
  try {
    return await db.transaction(async (tx) => {
      if (input.tenantId) {
        const [tenant] = await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, input.tenantId));
        if (!tenant) throw new DomainError("VALIDATION_FAILED", "unknown tenant", { errors: [{ path: "tenantId", message: "no such tenant" }] });
      }
      const [row] = await tx
        .insert(users)
        .values({ email, name: input.name ?? email, passwordHash, role: input.role, tenantId: input.tenantId ?? null })
        .returning();
      await recordAuditEvent(tx, audit, {
        action: "user.create",
        targetType: "user",
        targetId: row!.id,
        tenantId: row!.tenantId,
        summary: { email: row!.email, role: row!.role, password: passwordHash !== null },
      });
      return toUserView(row!);
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new DomainError("CONFLICT", `a user with e-mail ${email} already exists`);
    throw e;
  }
}

export async function createUser({ ctx, input }: { ctx: DomainContext; input: CreateUserInput }): Promise<UserView> {
  requirePlatformAdmin(ctx.actor, "manage users");
  return insertUser(ctx.db, ctx, input);
}
