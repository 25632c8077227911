import { createTokenInput } from "@/contracts/auth";
import { createToken, listTokens } from "@/server/domain/tokens/manage-tokens";
import { endpoint } from "@/server/http/endpoint";
import { parseInput } from "@/server/http/parse";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/tokens", {
  listTokens: async ({ ctx }) => ({ body: await listTokens({ ctx }) }),
  createToken: async ({ ctx, json }) => {
    const token = await createToken({ ctx, input: parseInput(createTokenInput, json()) });
    // The value is shown once: a replay answers the token without it.
    const { token: _shownOnce, ...withoutValue } = token;
    return { status: 201, body: token, replayBody: withoutValue, headers: { Location: `/api/v1/tokens/${token.id}` } };
  },
});
