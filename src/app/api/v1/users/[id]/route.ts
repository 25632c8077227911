import { disableUser } from "@/server/domain/users/disable-user";
import { getUser } from "@/server/domain/users/get-user";
import { endpoint } from "@/server/http/endpoint";
import { idParams, parseParams } from "@/server/http/params";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/users/{id}", {
  getUser: async ({ ctx, params }) => {
    const { id } = parseParams(idParams, params);
    return { body: await getUser({ ctx, userId: id }) };
  },
  /** Disables rather than deletes: the account's name stays meaningful in the audit log. */
  disableUser: async ({ ctx, params }) => {
    const { id } = parseParams(idParams, params);
    await disableUser({ ctx, userId: id });
    return { status: 204, body: null };
  },
});
