import type { Metadata } from "next";
import { ReleasesTable } from "@/components/releases/releases-table";

export const metadata: Metadata = { title: "Releases" };

export default function ReleasesPage() {
  return <ReleasesTable />;
}
