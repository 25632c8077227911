import { eq } from "drizzle-orm";
import type { UserView } from "@/contracts/users";
import { users } from "@/server/db/schema";
import { requirePlatformAdmin } from "../access/rules";
import type { DomainContext } from "../context";
import { notFound } from "../errors";
import { toUserView } from "./user-view";

/** One account, disabled or not; like the list, for platform admins only. */
export async function getUser({ ctx, userId }: { ctx: DomainContext; userId: string }): Promise<UserView> {
  requirePlatformAdmin(ctx.actor, "manage users");
  const [row] = await ctx.db.select().from(users).where(eq(users.id, userId));
  if (!row) throw notFound(`user ${userId}`);
  return toUserView(row);
}
