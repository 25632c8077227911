"use client";

import { useQuery } from "@tanstack/react-query";
import type { Role } from "@/contracts/auth";
import { useTRPC } from "@/trpc/react";

export interface Me {
  name: string;
  role: Role;
  /** null: every tenant (platform admins, viewers bound to all tenants). */
  tenantId: string | null;
  tenantSlug: string | null;
}

/** Who is signed in (or which API token calls), as the server resolves it: tRPC `auth.me`. */
export function useMe() {
  const trpc = useTRPC();
  return useQuery({ ...trpc.auth.me.queryOptions(), staleTime: 5 * 60_000, retry: false });
}

/** What the signed-in user may do; the UI offers nothing else (the domain enforces it anyway). */
export function permissions(me: Me | undefined) {
  const role = me?.role;
  return {
    isPlatformAdmin: role === "platform-admin",
    canOperateReleases: role === "platform-admin" || role === "tenant-admin",
    canRunBatches: role === "platform-admin",
    canManageTenants: role === "platform-admin",
    canPublishCharts: role === "platform-admin",
    canManageTokens: role === "platform-admin",
  };
}
