import type { Metadata } from "next";
import { NeedsUpgradeView } from "@/components/admin/needs-upgrade";

export const metadata: Metadata = { title: "Needs upgrade" };

export default function NeedsUpgradePage() {
  return <NeedsUpgradeView />;
}
