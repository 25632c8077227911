import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { MeView } from "@/contracts/users";
import { REQUEST_PATH_HEADER } from "@/proxy";
import { MAX_REDIRECT_URL_LENGTH } from "@/contracts/redirects";
import { currentUser } from "@/trpc/server";

/**
 * Where sign-in comes back to: this page with its query, or without the query (and at worst
 * the dashboard) when Location would repeat more than a client reads back (contracts/redirects.ts).
 */
function callbackUrl(path: string): string {
  for (const candidate of [path, path.split("?", 1)[0]!]) {
    const encoded = encodeURIComponent(candidate);
    if (encoded.length <= MAX_REDIRECT_URL_LENGTH) return encoded;
  }
  return encodeURIComponent("/");
}

/** The signed-in caller, or a redirect to /sign-in that comes back to this page afterwards. */
export async function requireUser(): Promise<MeView> {
  const me = await currentUser();
  if (me) return me;
  const path = (await headers()).get(REQUEST_PATH_HEADER) ?? "/";
  redirect(`/sign-in?callbackUrl=${callbackUrl(path)}`);
}
