import type { Role } from "@/contracts/auth";

/** Who is acting: resolved from a bearer token or a UI session, before any domain call. */
export interface Actor {
  kind: "token" | "user" | "system";
  id: string;
  /** What the audit log and revisions show, e.g. "alice@example.com" or "token:ci-deployer". */
  name: string;
  role: Role;
  /** null: every tenant (platform admins, and viewers bound to all tenants). */
  tenantId: string | null;
}

export const systemActor = (name = "system:helmdeck"): Actor => ({ kind: "system", id: name, name, role: "platform-admin", tenantId: null });
