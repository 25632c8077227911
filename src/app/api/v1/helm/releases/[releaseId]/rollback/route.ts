import { rollbackReleaseInput } from "@/contracts/releases";
import { rollbackRelease } from "@/server/domain/releases/rollback-release";
import { parseParams, releaseIdParams } from "@/server/http/params";
import { parseInput } from "@/server/http/parse";
import { route } from "@/server/http/route";

const rollbackBody = rollbackReleaseInput.omit({ releaseId: true });

export const POST = route<{ releaseId: string }>(async ({ ctx, params, json }) => {
  const { releaseId } = parseParams(releaseIdParams, params);
  const input = parseInput(rollbackBody, json() ?? {});
  return { body: await rollbackRelease({ ctx, input: { ...input, releaseId } }) };
});
