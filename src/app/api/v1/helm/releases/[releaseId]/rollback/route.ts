import { rollbackReleaseInput } from "@/contracts/releases";
import { rollbackRelease } from "@/server/domain/releases/rollback-release";
import { endpoint } from "@/server/http/endpoint";
import { parseParams, releaseIdParams } from "@/server/http/params";
import { parseInput } from "@/server/http/parse";

const rollbackBody = rollbackReleaseInput.omit({ releaseId: true });

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/helm/releases/{releaseId}/rollback", {
  rollbackRelease: async ({ ctx, params, json }) => {
    const { releaseId } = parseParams(releaseIdParams, params);
    const input = parseInput(rollbackBody, json() ?? {});
    return { body: await rollbackRelease({ ctx, input: { ...input, releaseId } }) };
  },
});
