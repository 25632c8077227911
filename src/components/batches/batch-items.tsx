"use client";

import Link from "next/link";
import { BATCH_ITEM_STATUSES, type BatchCounts, type BatchItemStatus, type BatchItemView } from "@/contracts/batches";
import { TenantSelect } from "../tenant-select";
import { Button, Empty, ErrorMessage, Field, Loading, StatusBadge, Table, TableHead, Td, inputClass } from "../ui";
import { inUiWords } from "../ui-words";
import type { ItemFilter, ItemsPage } from "./live-batch";
import { REASON_WORDS } from "./reason-words";

/** How many items a status filter matches, where the server's counts say it exactly. */
function matching(filter: ItemFilter, counts: BatchCounts): number | null {
  if (filter.tenant) return null;
  if (!filter.status) return counts.total;
  if (filter.status === "UPGRADED") return counts.upgraded;
  if (filter.status === "FAILED") return counts.failed;
  if (filter.status === "CANCELLED") return counts.cancelled;
  if (filter.status === "SKIPPED") return counts.skipped - counts.cancelled;
  return null;
}

/** `onChange` gets the one filter changed (undefined: cleared). */
export function ItemFilters({ filter, onChange, showTenant }: { filter: ItemFilter; onChange: (change: ItemFilter) => void; showTenant: boolean }) {
  return (
    <div className="flex flex-wrap items-end gap-4" role="group" aria-label="Filter batch items">
      <Field label="Status" htmlFor="items-status">
        <select id="items-status" className={inputClass} value={filter.status ?? ""} onChange={(e) => onChange({ status: (e.target.value || undefined) as BatchItemStatus | undefined })}>
          <option value="">Any status</option>
          {BATCH_ITEM_STATUSES.map((s) => (
            <option key={s} value={s}>{s}</option>
          ))}
        </select>
      </Field>
      {showTenant ? (
        <Field label="Tenant" htmlFor="items-tenant">
          <TenantSelect id="items-tenant" value={filter.tenant ?? ""} onChange={(slug) => onChange({ tenant: slug || undefined })} />
        </Field>
      ) : null}
    </div>
  );
}

function ItemRow({ item }: { item: BatchItemView }) {
  return (
    <tr data-testid="batch-item" data-status={item.status} data-position={item.position} className={item.status === "RUNNING" ? "bg-amber-50/60" : undefined}>
      <Td className="text-xs text-slate-600">{item.position}</Td>
      <Td>{item.tenantSlug}</Td>
      <Td>{item.namespace}</Td>
      <Td>
        <Link className="text-sky-800 hover:underline" href={`/releases/${item.releaseId}`}>{item.releaseName}</Link>
      </Td>
      <Td className="font-mono text-xs">{item.fromVersion ?? "—"}</Td>
      <Td><StatusBadge status={item.status} /></Td>
      <Td>{item.revision ?? "—"}</Td>
      <Td className={`max-w-md text-xs ${item.status === "FAILED" ? "text-red-800" : "text-slate-700"}`}>
        {item.reasonCode ? <span data-reason={item.reasonCode}>{REASON_WORDS[item.reasonCode]}</span> : item.error ? inUiWords(item.error) : ""}
      </Td>
    </tr>
  );
}

/**
 * One page of a batch's items (the only rows in memory), with its place in the batch and
 * Previous / Next. `pageNumber` is 1-based; `onPage(+1 | -1)` moves.
 */
export function ItemsTable({
  page,
  error,
  filter,
  counts,
  pageNumber,
  onPage,
  fetching,
}: {
  page: ItemsPage | undefined;
  error: unknown;
  filter: ItemFilter;
  counts: BatchCounts;
  pageNumber: number;
  onPage: (step: 1 | -1) => void;
  fetching: boolean;
}) {
  if (error) return <ErrorMessage error={error} title="Could not load the items" />;
  if (!page) return <Loading label="Loading items…" />;
  const first = page.items[0];
  const last = page.items.at(-1);
  const n = matching(filter, counts);
  return (
    <div className="space-y-2">
      <p className="text-sm text-slate-700" data-testid="items-range" aria-live="polite">
        {first && last
          ? `Page ${pageNumber}: items ${first.position}–${last.position}${n !== null ? ` (${page.items.length} shown of ${n} ${filter.status ? filter.status.toLowerCase() : "in the batch"})` : ` (${page.items.length} shown)`}`
          : null}
        {fetching ? <span className="ml-2 text-xs text-slate-600">updating…</span> : null}
      </p>
      {page.items.length ? (
        <Table label="Batch items in processing order">
          <TableHead columns={["#", "Tenant", "Namespace", "Release", "From", "Status", "Revision", "Error or reason"]} />
          <tbody className="divide-y divide-slate-100">
            {page.items.map((item) => (
              <ItemRow key={item.position} item={item} />
            ))}
          </tbody>
        </Table>
      ) : (
        <Empty>No item matches these filters{pageNumber > 1 ? " on this page" : ""}.</Empty>
      )}
      <nav aria-label="Item pages" className="flex gap-2">
        <Button onClick={() => onPage(-1)} disabled={pageNumber <= 1}>Previous page</Button>
        <Button onClick={() => onPage(1)} disabled={!page.nextCursor}>Next page</Button>
      </nav>
    </div>
  );
}
