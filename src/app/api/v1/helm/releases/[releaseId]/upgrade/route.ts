import { upgradeOptions } from "@/contracts/releases";
import { upgradeRelease } from "@/server/domain/releases/upgrade-release";
import { endpoint } from "@/server/http/endpoint";
import { parseParams, releaseIdParams } from "@/server/http/params";
import { parseInput } from "@/server/http/parse";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/helm/releases/{releaseId}/upgrade", {
  upgradeRelease: async ({ ctx, params, json }) => {
    const { releaseId } = parseParams(releaseIdParams, params);
    const input = parseInput(upgradeOptions, json());
    return { body: await upgradeRelease({ ctx, input: { ...input, releaseId } }) };
  },
});
