import { getRelease } from "@/server/domain/releases/get-release";
import { endpoint } from "@/server/http/endpoint";
import { parseParams, releaseIdParams } from "@/server/http/params";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/helm/releases/{releaseId}", {
  getRelease: async ({ ctx, params }) => {
    const { releaseId } = parseParams(releaseIdParams, params);
    return { body: await getRelease({ ctx, releaseId }) };
  },
});
