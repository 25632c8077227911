import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { MeView } from "@/contracts/users";
import { REQUEST_PATH_HEADER } from "@/proxy";
import { currentUser } from "@/trpc/server";

/** The signed-in caller, or a redirect to /sign-in that comes back to this page afterwards. */
export async function requireUser(): Promise<MeView> {
  const me = await currentUser();
  if (me) return me;
  const path = (await headers()).get(REQUEST_PATH_HEADER) ?? "/";
  redirect(`/sign-in?callbackUrl=${encodeURIComponent(path)}`);
}
