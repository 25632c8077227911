import { getToken, revokeToken } from "@/server/domain/tokens/manage-tokens";
import { endpoint } from "@/server/http/endpoint";
import { idParams, parseParams } from "@/server/http/params";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/tokens/{id}", {
  getToken: async ({ ctx, params }) => {
    const { id } = parseParams(idParams, params);
    return { body: await getToken({ ctx, tokenId: id }) };
  },
  revokeToken: async ({ ctx, params }) => {
    const { id } = parseParams(idParams, params);
    await revokeToken({ ctx, tokenId: id });
    return { status: 204, body: null };
  },
});
