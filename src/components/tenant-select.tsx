"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/react";
import { inputClass } from "./ui";

/** Every tenant by slug, after "All tenants" (the empty value); label it with a Field for `id`. */
export function TenantSelect({ id, value, onChange }: { id: string; value: string; onChange: (slug: string) => void }) {
  const trpc = useTRPC();
  const tenants = useQuery(trpc.tenants.list.queryOptions());
  return (
    <select id={id} className={inputClass} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">All tenants</option>
      {tenants.data?.map((t) => (
        <option key={t.id} value={t.slug}>{t.slug}</option>
      ))}
    </select>
  );
}
