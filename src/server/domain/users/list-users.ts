import { desc } from "drizzle-orm";
import type { UserView } from "@/contracts/users";
import { users } from "@/server/db/schema";
import { requirePlatformAdmin } from "../access/rules";
import type { DomainContext } from "../context";
import { toUserView } from "./user-view";

/** Every account, disabled ones included (they stay for the audit trail), newest first. */
export async function listUsers({ ctx }: { ctx: DomainContext }): Promise<UserView[]> {
  requirePlatformAdmin(ctx.actor, "manage users");
  const rows = await ctx.db.select().from(users).orderBy(desc(users.createdAt), desc(users.id));
  return rows.map(toUserView);
}
