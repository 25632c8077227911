import { installReleaseInput, listReleasesQuery } from "@/contracts/releases";
import { installRelease } from "@/server/domain/releases/install-release";
import { listReleases } from "@/server/domain/releases/list-releases";
import { endpoint } from "@/server/http/endpoint";
import { parseInput, parseQuery, queryObject } from "@/server/http/parse";
import { nextLinkHeader } from "@/server/http/route";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/helm/releases", {
  listReleases: async ({ ctx, url }) => {
    const query = parseQuery(listReleasesQuery, queryObject(url));
    const page = await listReleases({ ctx, query });
    return { body: page.items, headers: nextLinkHeader(url, page.nextCursor, query) };
  },
  installRelease: async ({ ctx, json }) => {
    const result = await installRelease({ ctx, input: parseInput(installReleaseInput, json()) });
    return { status: 201, body: result, headers: { Location: `/api/v1/helm/releases/${result.release.id}` } };
  },
});
