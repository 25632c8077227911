"use client";

import { createContext, useContext } from "react";
import type { MeView } from "@/contracts/users";

const MeContext = createContext<MeView | null>(null);

/** Who is signed in, as the server resolved it while rendering the page (the (admin) layout). */
export function MeProvider({ me, children }: { me: MeView; children: React.ReactNode }) {
  return <MeContext value={me}>{children}</MeContext>;
}

/** The signed-in caller; only inside the (admin) layout, which never renders without one. */
export function useMe(): MeView {
  const me = useContext(MeContext);
  if (!me) throw new Error("useMe() is only available inside the signed-in layout");
  return me;
}

/** What a caller may do; the UI offers nothing else (the domain enforces it anyway). */
export function permissions(me: Pick<MeView, "role">) {
  const role = me.role;
  return {
    isPlatformAdmin: role === "platform-admin",
    canOperateReleases: role === "platform-admin" || role === "tenant-admin",
    canRunBatches: role === "platform-admin",
    canManageTenants: role === "platform-admin",
    canPublishCharts: role === "platform-admin",
    canManageTokens: role === "platform-admin",
    // Tenant-admins manage their own tenant's webhooks.
    canManageWebhooks: role !== "viewer",
  };
}

export const usePermissions = () => permissions(useMe());
