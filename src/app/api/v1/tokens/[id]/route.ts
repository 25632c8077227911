import { revokeToken } from "@/server/domain/tokens/manage-tokens";
import { idParams, parseParams } from "@/server/http/params";
import { onlyPlatformAdmin, route } from "@/server/http/route";

export const DELETE = route<{ id: string }>(async ({ ctx, params }) => {
  const { id } = parseParams(idParams, params);
  await revokeToken({ ctx, tokenId: id });
  return { status: 204, body: null };
}, { authorize: onlyPlatformAdmin("manage API tokens") });
