import { createUserInput } from "@/contracts/users";
import { createUser } from "@/server/domain/users/create-user";
import { listUsers } from "@/server/domain/users/list-users";
import { endpoint } from "@/server/http/endpoint";
import { parseInput } from "@/server/http/parse";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/users", {
  listUsers: async ({ ctx }) => ({ body: await listUsers({ ctx }) }),
  createUser: async ({ ctx, json }) => {
    const user = await createUser({ ctx, input: parseInput(createUserInput, json()) });
    return { status: 201, body: user, headers: { Location: `/api/v1/users/${user.id}` } };
  },
});
