import { getRelease } from "@/server/domain/releases/get-release";
import { parseParams, releaseIdParams } from "@/server/http/params";
import { route } from "@/server/http/route";

export const GET = route<{ releaseId: string }>(async ({ ctx, params }) => {
  const { releaseId } = parseParams(releaseIdParams, params);
  return { body: await getRelease({ ctx, releaseId }) };
});
