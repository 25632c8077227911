import { Suspense } from "react";
import { AdminShell } from "@/components/admin-shell";
import { Loading } from "@/components/ui";

export default function AdminLayout({ children }: { children: React.ReactNode }) {
  return (
    <AdminShell>
      <Suspense fallback={<Loading />}>{children}</Suspense>
    </AdminShell>
  );
}
