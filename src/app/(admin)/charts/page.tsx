import type { Metadata } from "next";
import { ChartsView } from "@/components/admin/charts";

export const metadata: Metadata = { title: "Charts" };

export default function ChartsPage() {
  return <ChartsView />;
}
