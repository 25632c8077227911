import type { Metadata } from "next";
import { BatchesView } from "@/components/batches/batches-view";

export const metadata: Metadata = { title: "Batch upgrades" };

export default function BatchesPage() {
  return <BatchesView />;
}
