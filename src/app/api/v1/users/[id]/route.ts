import { disableUser } from "@/server/domain/users/disable-user";
import { idParams, parseParams } from "@/server/http/params";
import { onlyPlatformAdmin, route } from "@/server/http/route";

/** Disables rather than deletes: the account's name stays meaningful in the audit log. */
export const DELETE = route<{ id: string }>(async ({ ctx, params }) => {
  const { id } = parseParams(idParams, params);
  await disableUser({ ctx, userId: id });
  return { status: 204, body: null };
}, { authorize: onlyPlatformAdmin("manage users") });
