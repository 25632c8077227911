import "server-only";
import { TRPCError } from "@trpc/server";
import { headers } from "next/headers";
import { cache } from "react";
import type { MeView } from "@/contracts/users";
import { createCaller } from "@/server/api/root";
import { createTRPCContext } from "@/server/api/trpc";

/**
 * The caller of the page being rendered, exactly as tRPC's `auth.me` resolves it (session
 * cookie or bearer token, user re-read from the database), or null when nobody is signed in.
 * Server components use it so the first paint already knows who is there; `cache` makes it
 * one lookup per request however many components ask.
 */
export const currentUser = cache(async (): Promise<MeView | null> => {
  const req = new Request("http://helmdeck.internal/", { headers: await headers() });
  const caller = createCaller(await createTRPCContext({ req }));
  try {
    return await caller.auth.me();
  } catch (e) {
    if (e instanceof TRPCError && e.code === "UNAUTHORIZED") return null;
    throw e;
  }
});
