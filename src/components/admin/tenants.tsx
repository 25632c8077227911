"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { DAYS, ENVIRONMENTS, type TenantView } from "@/contracts/tenants";
import { useTRPC } from "@/trpc/react";
import { usePermissions } from "../use-me";
import { Badge, Button, Card, ErrorMessage, Field, Loading, PageHeader, Table, Td, Th, fieldError, formatTime, inputClass } from "../ui";

const ENV_TONE = { development: "blue", staging: "violet", production: "amber" } as const;

function windowText(t: TenantView) {
  const w = t.maintenanceWindow;
  return w ? `${w.days.join(", ")} ${w.start}–${w.end} UTC` : "always open";
}

function CreateTenant() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({ slug: "", name: "", environment: "development" as (typeof ENVIRONMENTS)[number], cpu: "", memory: "", days: [] as string[], start: "", end: "" });
  const create = useMutation(
    trpc.tenants.create.mutationOptions({
      onSuccess: async () => {
        setForm({ slug: "", name: "", environment: "development", cpu: "", memory: "", days: [], start: "", end: "" });
        await queryClient.invalidateQueries({ queryKey: trpc.tenants.pathKey() });
      },
    }),
  );
  const set = (k: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setForm({ ...form, [k]: e.target.value });
  const hasWindow = form.days.length > 0 || form.start || form.end;
  return (
    <Card title="Create a tenant">
      <form
        className="grid gap-4 md:grid-cols-3"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({
            slug: form.slug.trim(),
            name: form.name.trim(),
            environment: form.environment,
            quota: form.cpu || form.memory ? { cpu: form.cpu || undefined, memory: form.memory || undefined } : null,
            maintenanceWindow: hasWindow ? { days: form.days as (typeof DAYS)[number][], start: form.start, end: form.end } : null,
          });
        }}
      >
        <Field label="Slug" htmlFor="t-slug" error={fieldError(create.error, "slug")} hint="lower-case letters, digits and '-'">
          <input id="t-slug" required className={inputClass} value={form.slug} onChange={set("slug")} />
        </Field>
        <Field label="Name" htmlFor="t-name" error={fieldError(create.error, "name")}>
          <input id="t-name" required className={inputClass} value={form.name} onChange={set("name")} />
        </Field>
        <Field label="Environment" htmlFor="t-env">
          <select id="t-env" className={inputClass} value={form.environment} onChange={set("environment")}>
            {ENVIRONMENTS.map((env) => (
              <option key={env}>{env}</option>
            ))}
          </select>
        </Field>
        <Field label="CPU quota" htmlFor="t-cpu" hint='e.g. "4" or "500m" (optional)' error={fieldError(create.error, "quota.cpu")}>
          <input id="t-cpu" className={inputClass} value={form.cpu} onChange={set("cpu")} />
        </Field>
        <Field label="Memory quota" htmlFor="t-mem" hint='e.g. "8Gi" (optional)' error={fieldError(create.error, "quota.memory")}>
          <input id="t-mem" className={inputClass} value={form.memory} onChange={set("memory")} />
        </Field>
        <fieldset className="space-y-1">
          <legend className="text-sm font-medium text-slate-800">Maintenance window (UTC, optional)</legend>
          <div className="flex flex-wrap gap-2 text-xs">
            {DAYS.map((d) => (
              <label key={d} className="flex items-center gap-1">
                <input type="checkbox" checked={form.days.includes(d)} onChange={(e) => setForm({ ...form, days: e.target.checked ? [...form.days, d] : form.days.filter((x) => x !== d) })} />
                {d}
              </label>
            ))}
          </div>
          <div className="flex items-center gap-2">
            <input aria-label="Window start (HH:MM)" placeholder="01:00" className={inputClass} value={form.start} onChange={set("start")} />
            <span aria-hidden>–</span>
            <input aria-label="Window end (HH:MM)" placeholder="05:00" className={inputClass} value={form.end} onChange={set("end")} />
          </div>
        </fieldset>
        <div className="md:col-span-3">
          {create.error ? <ErrorMessage error={create.error} title="Tenant not created" /> : null}
          {create.data ? <p role="status" className="mb-2 text-sm text-emerald-800">Created tenant {create.data.slug}.</p> : null}
          <Button type="submit" variant="primary" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create tenant"}
          </Button>
        </div>
      </form>
    </Card>
  );
}

export function TenantsView() {
  const trpc = useTRPC();
  const can = usePermissions();
  const tenants = useQuery(trpc.tenants.list.queryOptions());
  return (
    <>
      <PageHeader title="Tenants" description="Who runs releases, in which environment, with which quota and maintenance window." />
      <div className="space-y-6">
        {tenants.error ? <ErrorMessage error={tenants.error} /> : tenants.data ? (
          <Table label="Tenants">
            <thead>
              <tr>
                <Th>Slug</Th>
                <Th>Name</Th>
                <Th>Environment</Th>
                <Th>Quota</Th>
                <Th>Maintenance window</Th>
                <Th className="hidden md:table-cell">Created</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {tenants.data.map((t) => (
                <tr key={t.id}>
                  <Td className="font-medium">
                    <Link className="text-sky-800 hover:underline" href={`/releases?tenant=${encodeURIComponent(t.slug)}`}>{t.slug}</Link>
                  </Td>
                  <Td>{t.name}</Td>
                  <Td><Badge tone={ENV_TONE[t.environment]}>{t.environment}</Badge></Td>
                  <Td className="font-mono text-xs">{t.quota ? [t.quota.cpu && `cpu ${t.quota.cpu}`, t.quota.memory && `memory ${t.quota.memory}`].filter(Boolean).join(", ") : "—"}</Td>
                  <Td className="text-xs">{windowText(t)}</Td>
                  <Td className="hidden text-xs text-slate-600 md:table-cell">{formatTime(t.createdAt)}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        ) : <Loading />}
        {can.canManageTenants ? <CreateTenant /> : null}
      </div>
    </>
  );
}
