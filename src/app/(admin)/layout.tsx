import { Suspense } from "react";
import { AdminShell } from "@/components/admin-shell";
import { Loading } from "@/components/ui";
import { requireUser } from "./require-user";

/**
 * The session gate: decided on the server before anything is sent, so a visitor who is not
 * signed in is redirected without a flash, and the first paint already shows who is signed in.
 */
export default async function AdminLayout({ children }: { children: React.ReactNode }) {
  const me = await requireUser();
  return (
    <AdminShell me={me}>
      <Suspense fallback={<Loading />}>{children}</Suspense>
    </AdminShell>
  );
}
