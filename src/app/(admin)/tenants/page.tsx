import type { Metadata } from "next";
import { TenantsView } from "@/components/admin/tenants";

export const metadata: Metadata = { title: "Tenants" };

export default function TenantsPage() {
  return <TenantsView />;
}
