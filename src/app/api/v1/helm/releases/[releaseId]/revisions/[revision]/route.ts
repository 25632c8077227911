import { getRevision } from "@/server/domain/releases/get-release";
import { parseParams, revisionParams } from "@/server/http/params";
import { route } from "@/server/http/route";

export const GET = route<{ releaseId: string; revision: string }>(async ({ ctx, params }) => {
  const { releaseId, revision } = parseParams(revisionParams, params);
  return { body: await getRevision({ ctx, releaseId, revision }) };
});
