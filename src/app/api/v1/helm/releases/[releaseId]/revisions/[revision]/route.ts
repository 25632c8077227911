import { getRevision } from "@/server/domain/releases/get-release";
import { endpoint } from "@/server/http/endpoint";
import { parseParams, revisionParams } from "@/server/http/params";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/helm/releases/{releaseId}/revisions/{revision}", {
  getRevision: async ({ ctx, params }) => {
    const { releaseId, revision } = parseParams(revisionParams, params);
    return { body: await getRevision({ ctx, releaseId, revision }) };
  },
});
