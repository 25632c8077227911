import { and, eq, isNull, ne, sql } from "drizzle-orm";
import type { UserView } from "@/contracts/users";
import { users } from "@/server/db/schema";
import { requirePlatformAdmin } from "../access/rules";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { DomainContext } from "../context";
import { DomainError, notFound } from "../errors";
import { toUserView } from "./user-view";

/**
 * Disables an account instead of deleting it: its name stays meaningful in revisions and
 * the audit log, and its sessions stop working at the next request (each one re-reads the
 * user). Disabling twice is harmless. The last active platform admin cannot be disabled,
 * since nobody could then manage users.
 */
export async function disableUser({ ctx, userId }: { ctx: DomainContext; userId: string }): Promise<UserView> {
  requirePlatformAdmin(ctx.actor, "manage users");
  return ctx.db.transaction(async (tx) => {
    const [target] = await tx.select().from(users).where(eq(users.id, userId)).for("update");
    if (!target) throw notFound(`user ${userId}`);
    if (target.disabledAt) return toUserView(target);
    if (target.role === "platform-admin") {
      // Lock the other active admins too, so two concurrent requests cannot each disable "the other last one".
      const others = await tx
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.role, "platform-admin"), isNull(users.disabledAt), ne(users.id, target.id)))
        .for("update");
      if (others.length === 0) throw new DomainError("CONFLICT", "this is the last active platform-admin; create another one first");
    }
    const [row] = await tx.update(users).set({ disabledAt: sql`now()` }).where(eq(users.id, target.id)).returning();
    await recordAuditEvent(tx, ctx, { action: "user.disable", targetType: "user", targetId: row!.id, tenantId: row!.tenantId, summary: { email: row!.email, role: row!.role } });
    return toUserView(row!);
  });
}
