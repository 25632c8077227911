"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useTRPC } from "@/trpc/react";
import { Badge, Button, Empty, ErrorMessage, Loading, PageHeader, Table, Td, Th, formatTime, inputClass } from "../ui";

const PAGE = 50;

function summaryText(summary: Record<string, unknown>) {
  const entries = Object.entries(summary).filter(([, v]) => v !== null && v !== undefined && typeof v !== "object");
  return entries.map(([k, v]) => `${k}: ${String(v)}`).join(" · ");
}

export function AuditView() {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const tenant = params.get("tenant") ?? "";
  const action = params.get("action") ?? "";
  const events = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(
      { limit: PAGE, tenant: tenant || undefined, action: action || undefined },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const rows = events.data?.pages.flatMap((p) => p.items) ?? [];
  function setFilter(key: string, value: string) {
    const sp = new URLSearchParams(params);
    if (value) sp.set(key, value);
    else sp.delete(key);
    router.replace(`${pathname}${sp.size ? `?${sp}` : ""}`);
  }
  return (
    <>
      <PageHeader title="Audit log" description="Who did what, when, to which release. Newest first." />
      <form role="search" aria-label="Filter audit events" className="mb-4 grid gap-3 sm:grid-cols-3" onSubmit={(e) => e.preventDefault()}>
        <div>
          <label htmlFor="a-tenant" className="mb-1 block text-xs font-medium text-slate-700">Tenant (slug)</label>
          <input key={`t:${tenant}`} id="a-tenant" className={inputClass} defaultValue={tenant} onKeyDown={(e) => e.key === "Enter" && setFilter("tenant", e.currentTarget.value.trim())} onBlur={(e) => e.target.value !== tenant && setFilter("tenant", e.target.value.trim())} />
        </div>
        <div>
          <label htmlFor="a-action" className="mb-1 block text-xs font-medium text-slate-700">Action</label>
          <input key={`a:${action}`} id="a-action" className={inputClass} placeholder="e.g. release.upgrade" defaultValue={action} onKeyDown={(e) => e.key === "Enter" && setFilter("action", e.currentTarget.value.trim())} onBlur={(e) => e.target.value !== action && setFilter("action", e.target.value.trim())} />
        </div>
      </form>
      {events.error ? <ErrorMessage error={events.error} title="Could not load the audit log" /> : null}
      {events.isPending ? <Loading /> : (
        <>
          <Table label="Audit events">
            <thead>
              <tr>
                <Th>When</Th>
                <Th>Actor</Th>
                <Th>Action</Th>
                <Th>Target</Th>
                <Th className="hidden lg:table-cell">Details</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((e) => (
                <tr key={e.id} data-testid="audit-row">
                  <Td className="whitespace-nowrap text-xs text-slate-600">{formatTime(e.createdAt)}</Td>
                  <Td className="text-xs">
                    {e.actor} <span className="text-slate-500">({e.actorRole})</span>
                  </Td>
                  <Td><Badge>{e.action}</Badge></Td>
                  <Td className="text-xs">
                    {e.releaseId ? (
                      <Link className="break-words text-sky-800 hover:underline" href={`/releases/${e.releaseId}`}>
                        {e.release ? `${e.release.tenantSlug}/${e.release.namespace}/${e.release.name}` : `release ${e.releaseId.slice(0, 8)}`}
                        {e.revision ? ` revision ${e.revision}` : ""}
                      </Link>
                    ) : (
                      <span>{e.targetType}{e.targetId ? ` ${e.targetId.slice(0, 8)}` : ""}</span>
                    )}
                  </Td>
                  <Td className="hidden max-w-md truncate text-xs text-slate-600 lg:table-cell">{summaryText(e.summary)}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
          {!rows.length ? <Empty>No audit events.</Empty> : null}
          <div className="mt-3 flex items-center justify-between text-sm text-slate-600">
            <span>{rows.length} events shown</span>
            {events.hasNextPage ? (
              <Button onClick={() => void events.fetchNextPage()} disabled={events.isFetchingNextPage}>
                {events.isFetchingNextPage ? "Loading…" : "Load older events"}
              </Button>
            ) : null}
          </div>
        </>
      )}
    </>
  );
}
