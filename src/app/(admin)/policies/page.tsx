import type { Metadata } from "next";
import { PoliciesView } from "@/components/admin/policies";

export const metadata: Metadata = { title: "Upgrade policies" };

export default function PoliciesPage() {
  return <PoliciesView />;
}
