import type { Metadata } from "next";
import { RepositoriesView } from "@/components/admin/repositories";

export const metadata: Metadata = { title: "Chart repositories" };

export default function RepositoriesPage() {
  return <RepositoriesView />;
}
