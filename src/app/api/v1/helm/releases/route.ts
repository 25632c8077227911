import { installReleaseInput, listReleasesQuery } from "@/contracts/releases";
import { installRelease } from "@/server/domain/releases/install-release";
import { listReleases } from "@/server/domain/releases/list-releases";
import { parseInput, parseQuery, queryObject } from "@/server/http/parse";
import { nextLinkHeader, route } from "@/server/http/route";

export const GET = route(async ({ ctx, url }) => {
  const page = await listReleases({ ctx, query: parseQuery(listReleasesQuery, queryObject(url)) });
  return { body: page.items, headers: nextLinkHeader(url, page.nextCursor) };
});

export const POST = route(async ({ ctx, json }) => {
  const result = await installRelease({ ctx, input: parseInput(installReleaseInput, json()) });
  return { status: 201, body: result, headers: { Location: `/api/v1/helm/releases/${result.release.id}` } };
});
