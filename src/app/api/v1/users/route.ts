import { createUserInput } from "@/contracts/users";
import { createUser } from "@/server/domain/users/create-user";
import { listUsers } from "@/server/domain/users/list-users";
import { parseInput } from "@/server/http/parse";
import { onlyPlatformAdmin, route } from "@/server/http/route";

export const GET = route(async ({ ctx }) => ({ body: await listUsers({ ctx }) }));

export const POST = route(async ({ ctx, json }) => {
  const user = await createUser({ ctx, input: parseInput(createUserInput, json()) });
  return { status: 201, body: user, headers: { Location: `/api/v1/users/${user.id}` } };
}, { authorize: onlyPlatformAdmin("manage users") });
