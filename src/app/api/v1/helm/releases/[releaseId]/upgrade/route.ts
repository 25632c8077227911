import { upgradeOptions } from "@/contracts/releases";
import { upgradeRelease } from "@/server/domain/releases/upgrade-release";
import { parseParams, releaseIdParams } from "@/server/http/params";
import { parseInput } from "@/server/http/parse";
import { route } from "@/server/http/route";

export const POST = route<{ releaseId: string }>(async ({ ctx, params, json }) => {
  const { releaseId } = parseParams(releaseIdParams, params);
  const input = parseInput(upgradeOptions, json());
  return { body: await upgradeRelease({ ctx, input: { ...input, releaseId } }) };
});
