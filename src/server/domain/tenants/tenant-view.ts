import type { TenantView } from "@/contracts/tenants";
import { tenants } from "@/server/db/schema";

export type TenantRow = typeof tenants.$inferSelect;

export const toTenantView = (t: TenantRow): TenantView => ({
  id: t.id,
  slug: t.slug,
  name: t.name,
  environment: t.environment,
  maintenanceWindow: t.maintenanceWindow ?? null,
  quota: t.quota ?? null,
  kubeContext: t.kubeContext,
  createdAt: t.createdAt.toISOString(),
});
