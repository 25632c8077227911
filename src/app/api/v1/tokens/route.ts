import { createTokenInput } from "@/contracts/auth";
import { createToken, listTokens } from "@/server/domain/tokens/manage-tokens";
import { parseInput } from "@/server/http/parse";
import { onlyPlatformAdmin, route } from "@/server/http/route";

export const GET = route(async ({ ctx }) => ({ body: await listTokens({ ctx }) }));

export const POST = route(async ({ ctx, json }) => {
  const token = await createToken({ ctx, input: parseInput(createTokenInput, json()) });
  // The value is shown once: a replay answers the token without it.
  const { token: _shownOnce, ...withoutValue } = token;
  return { status: 201, body: token, replayBody: withoutValue, headers: { Location: `/api/v1/tokens/${token.id}` } };
}, { authorize: onlyPlatformAdmin("manage API tokens") });
