"use client";

import { useQuery } from "@tanstack/react-query";
import type { Role } from "@/contracts/auth";
import { useTRPC, useTRPCClient } from "@/trpc/react";

export interface Me {
  name: string;
  role: Role;
  /** null: every tenant (platform admins, viewers bound to all tenants). */
  tenantId: string | null;
  tenantSlug: string | null;
}

/**
 * Who is signed in. The single place the UI asks: when the identity work (auth.me) is merged,
 * replace the body with `return useQuery(trpc.auth.me.queryOptions());` (see docs/ui.md).
 *
 * Until then the answer is inferred from what the caller may read: only platform admins may
 * list API tokens; a tenant-bound caller sees exactly one tenant. A tenant-bound caller is
 * shown as tenant-admin; the server still refuses what a viewer may not do (and the UI shows
 * that refusal in words).
 */
export function useMe() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  return useQuery({
    queryKey: [...trpc.tenants.list.queryKey(), "interim-me"],
    staleTime: 5 * 60_000,
    queryFn: async (): Promise<Me> => {
      const tenants = await client.tenants.list.query();
      const isAdmin = await client.tokens.list.query().then(
        () => true,
        () => false,
      );
      if (isAdmin) return { name: "platform admin", role: "platform-admin", tenantId: null, tenantSlug: null };
      const only = tenants.length === 1 ? tenants[0]! : null;
      return only
        ? { name: `${only.slug} user`, role: "tenant-admin", tenantId: only.id, tenantSlug: only.slug }
        : { name: "viewer", role: "viewer", tenantId: null, tenantSlug: null };
    },
  });
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
