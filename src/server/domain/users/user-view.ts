import type { UserView } from "@/contracts/users";
import { users } from "@/server/db/schema";

export type UserRow = typeof users.$inferSelect;

/** Never the hash itself: only whether there is one. */
export const toUserView = (u: UserRow): UserView => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
  tenantId: u.tenantId,
  hasPassword: u.passwordHash !== null,
  createdAt: u.createdAt.toISOString(),
  disabledAt: u.disabledAt?.toISOString() ?? null,
});
