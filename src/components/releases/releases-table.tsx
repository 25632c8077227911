"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { RELEASE_STATUSES, type ReleaseStatus } from "@/contracts/releases";
import { useTRPC } from "@/trpc/react";
import { Button, Empty, ErrorMessage, Loading, PageHeader, Select, StatusBadge, Table, Td, Th, formatTime, inputClass } from "../ui";

const PAGE_SIZE = 25;

export function ReleasesTable() {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const filters = {
    tenant: params.get("tenant") ?? "",
    chart: params.get("chart") ?? "",
    status: params.get("status") ?? "",
    version: params.get("version") ?? "",
    q: params.get("q") ?? "",
  };
  const cursor = params.get("cursor") ?? undefined;
  // Cursors of the pages before this one, so "Previous" can walk back without offsets.
  const [previous, setPrevious] = useState<(string | undefined)[]>([]);

  const tenants = useQuery(trpc.tenants.list.queryOptions());
  const charts = useQuery(trpc.charts.list.queryOptions());
  const versions = useQuery({ ...trpc.charts.versions.queryOptions({ chartName: filters.chart }), enabled: !!filters.chart });
  const releases = useQuery({
    ...trpc.releases.list.queryOptions({
      limit: PAGE_SIZE,
      cursor,
      tenant: filters.tenant || undefined,
      chart: filters.chart || undefined,
      status: (filters.status || undefined) as ReleaseStatus | undefined,
      version: filters.version || undefined,
      q: filters.q || undefined,
    }),
    placeholderData: keepPreviousData,
  });

  function navigate(next: Record<string, string | undefined>) {
    const sp = new URLSearchParams();
    for (const [k, v] of Object.entries(next)) if (v) sp.set(k, v);
    router.push(`${pathname}${sp.size ? `?${sp}` : ""}`);
  }
  function setFilter(key: keyof typeof filters, value: string) {
    setPrevious([]);
    const next: Record<string, string | undefined> = { ...filters, [key]: value, cursor: undefined };
    if (key === "chart") next.version = undefined;
    navigate(next);
  }

  return (
    <>
      <PageHeader title="Releases" description="Every release the control plane knows about, newest first." />
      <form role="search" aria-label="Filter releases" className="mb-4 grid gap-3 rounded-lg border border-slate-200 bg-white p-3 shadow-sm sm:grid-cols-2 lg:grid-cols-5" onSubmit={(e) => e.preventDefault()}>
        <div>
          <label htmlFor="f-tenant" className="mb-1 block text-xs font-medium text-slate-700">Tenant</label>
          <Select id="f-tenant" value={filters.tenant} onChange={(v) => setFilter("tenant", v)}>
            <option value="">All tenants</option>
            {tenants.data?.map((t) => (
              <option key={t.id} value={t.slug}>{t.slug}</option>
            ))}
          </Select>
        </div>
        <div>
          <label htmlFor="f-chart" className="mb-1 block text-xs font-medium text-slate-700">Chart</label>
          <Select id="f-chart" value={filters.chart} onChange={(v) => setFilter("chart", v)}>
            <option value="">All charts</option>
            {charts.data?.map((c) => (
              <option key={c.name} value={c.name}>{c.name}</option>
            ))}
          </Select>
        </div>
        <div>
          <label htmlFor="f-version" className="mb-1 block text-xs font-medium text-slate-700">Version</label>
          {filters.chart ? (
            <Select id="f-version" value={filters.version} onChange={(v) => setFilter("version", v)}>
              <option value="">Any version</option>
              {versions.data?.map((v) => (
                <option key={v.version} value={v.version}>{v.version}</option>
              ))}
            </Select>
          ) : (
            <input key={`v:${filters.version}`} id="f-version" className={inputClass} placeholder="e.g. 1.2.0" defaultValue={filters.version} onBlur={(e) => e.target.value !== filters.version && setFilter("version", e.target.value.trim())} onKeyDown={(e) => e.key === "Enter" && setFilter("version", e.currentTarget.value.trim())} />
          )}
        </div>
        <div>
          <label htmlFor="f-status" className="mb-1 block text-xs font-medium text-slate-700">Status</label>
          <Select id="f-status" value={filters.status} onChange={(v) => setFilter("status", v)}>
            <option value="">Any status</option>
            {RELEASE_STATUSES.map((s) => (
              <option key={s} value={s}>{s}</option>
            ))}
          </Select>
        </div>
        <div>
          <label htmlFor="f-q" className="mb-1 block text-xs font-medium text-slate-700">Name contains</label>
          <input key={`q:${filters.q}`} id="f-q" className={inputClass} placeholder="release name" defaultValue={filters.q} onKeyDown={(e) => e.key === "Enter" && setFilter("q", e.currentTarget.value.trim())} onBlur={(e) => e.target.value !== filters.q && setFilter("q", e.target.value.trim())} />
        </div>
      </form>

      {releases.error ? <ErrorMessage error={releases.error} title="Could not load releases" /> : null}
      {releases.isPending ? (
        <Loading />
      ) : releases.data ? (
        <>
          <Table label="Releases">
            <thead>
              <tr>
                <Th>Release</Th>
                <Th>Tenant</Th>
                <Th>Chart</Th>
                <Th>Version</Th>
                <Th>App</Th>
                <Th>Revision</Th>
                <Th>Status</Th>
                <Th className="hidden lg:table-cell">Updated</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {releases.data.items.map((r) => (
                <tr key={r.id} className="hover:bg-slate-50" data-testid="release-row">
                  <Td>
                    <Link href={`/releases/${r.id}`} className="font-medium text-sky-800 hover:underline">
                      {r.namespace}/{r.name}
                    </Link>
                  </Td>
                  <Td>{r.tenantSlug}</Td>
                  <Td className="font-mono text-xs">{r.chartName}</Td>
                  <Td className="font-mono text-xs">{r.chartVersion ?? "—"}</Td>
                  <Td className="font-mono text-xs">{r.appVersion ?? "—"}</Td>
                  <Td>
                    {r.revision ?? "—"}
                    {r.latestRevision !== r.revision ? <span className="text-xs text-slate-500"> (latest {r.latestRevision})</span> : null}
                  </Td>
                  <Td>
                    <StatusBadge status={r.status} />
                  </Td>
                  <Td className="hidden whitespace-nowrap text-xs text-slate-600 lg:table-cell">{formatTime(r.updatedAt)}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
          {!releases.data.items.length ? <Empty>No release matches these filters.</Empty> : null}
          <nav aria-label="Pagination" className="mt-3 flex items-center justify-between gap-2 text-sm">
            <span className="text-slate-600">{releases.data.items.length} on this page{releases.isFetching ? " · refreshing…" : ""}</span>
            <span className="flex gap-2">
              <Button
                disabled={!cursor}
                onClick={() => {
                  const prev = previous.at(-1);
                  setPrevious(previous.slice(0, -1));
                  navigate({ ...filters, cursor: prev });
                }}
              >
                ← Previous
              </Button>
              <Button
                disabled={!releases.data.nextCursor}
                onClick={() => {
                  setPrevious([...previous, cursor]);
                  navigate({ ...filters, cursor: releases.data.nextCursor ?? undefined });
                }}
              >
                Next →
              </Button>
            </span>
          </nav>
        </>
      ) : null}
    </>
  );
}
