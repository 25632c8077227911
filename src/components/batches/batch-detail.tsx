"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { BATCH_ITEM_STATUSES, FINISHED_BATCH_STATUSES, type BatchItemStatus } from "@/contracts/batches";
import { useTRPC } from "@/trpc/react";
import { useMe, usePermissions } from "../use-me";
import { ConfirmDialog } from "../confirm-dialog";
import { Badge, Button, Card, ErrorMessage, Loading, PageHeader, StatusBadge, formatTime } from "../ui";
import { ItemFilters, ItemsTable } from "./batch-items";
import type { ItemFilter } from "./live-batch";
import { COUNT_NAMES, ProgressBar, shownCounts } from "./progress";
import { useBatchLive } from "./use-batch-live";

type BatchAction = "pause" | "resume" | "cancel" | "rollback";

const CONFIRM: Partial<Record<BatchAction, string>> = {
  cancel: "Cancel this batch? Releases not yet upgraded stay as they are.",
  rollback: "Roll back every release this batch upgraded to the revision it had before? This runs as a new batch.",
};

/** pause, resume, cancel answer this batch; rollback answers the new (rollback) batch, started asynchronously like any other. */
function useBatchAction(batchId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const pause = useMutation(trpc.batches.pause.mutationOptions());
  const resume = useMutation(trpc.batches.resume.mutationOptions());
  const cancel = useMutation(trpc.batches.cancel.mutationOptions());
  const rollback = useMutation(trpc.batches.rollback.mutationOptions());
  const all = { pause, resume, cancel, rollback };
  const run = (action: BatchAction, onSettled: () => void, onRollback: (id: string) => void) => {
    const done = { onSettled, onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.batches.get.queryKey({ batchId }) }) };
    if (action === "rollback") rollback.mutate({ batchId, async: true }, { onSettled, onSuccess: (b) => onRollback(b.id) });
    else all[action].mutate({ batchId }, done);
  };
  const pending = Object.values(all).some((m) => m.isPending);
  const error = Object.values(all).find((m) => m.error)?.error ?? null;
  return { run, pending, error };
}

export function BatchDetail({ batchId }: { batchId: string }) {
  const router = useRouter();
  const can = usePermissions();
  const me = useMe();
  // Filters live in the address (?status=FAILED&tenant=acme), so a filtered view can be shared.
  const params = useSearchParams();
  const pathname = usePathname();
  // The query a filter change asked for until the address has it (router.replace lands after a render).
  const pendingQuery = useRef<string | null>(null);
  const search = params.toString();
  useEffect(() => {
    pendingQuery.current = null;
  }, [search]);
  const status = params.get("status") ?? "";
  const filter: ItemFilter = {
    status: (BATCH_ITEM_STATUSES as readonly string[]).includes(status) ? (status as BatchItemStatus) : undefined,
    tenant: params.get("tenant") || undefined,
  };
  // Cursors of the pages before the one shown: Previous pops one.
  const [cursors, setCursors] = useState<Array<string | undefined>>([undefined]);
  const { batch, page, stream } = useBatchLive(batchId, filter, cursors.at(-1));
  const action = useBatchAction(batchId);
  const [confirming, setConfirming] = useState<BatchAction | null>(null);

  if (batch.error) {
    return (
      <>
        <PageHeader title="Batch" />
        <ErrorMessage error={batch.error} title="Could not load this batch" />
      </>
    );
  }
  if (!batch.data) return <Loading />;
  const b = batch.data;
  const finished = (FINISHED_BATCH_STATUSES as readonly string[]).includes(b.status);
  const run = (a: BatchAction) =>
    action.run(a, () => setConfirming(null), (id) => {
      if (id !== batchId) router.push(`/batches/${id}`);
    });
  const changeFilter = (change: ItemFilter) => {
    // From the address as last asked for, not as this render saw it: two quick changes both count.
    const query = new URLSearchParams(pendingQuery.current ?? window.location.search);
    for (const [key, value] of Object.entries(change)) {
      if (value) query.set(key, value);
      else query.delete(key);
    }
    pendingQuery.current = query.toString();
    router.replace(query.size ? `${pathname}?${query}` : pathname, { scroll: false });
    setCursors([undefined]);
  };
  const turnPage = (step: 1 | -1) => {
    if (step === 1 && page.data?.nextCursor) setCursors([...cursors, page.data.nextCursor]);
    if (step === -1 && cursors.length > 1) setCursors(cursors.slice(0, -1));
  };

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-600">
        <Link href="/batches" className="text-sky-800 hover:underline">Batches</Link> / {b.id.slice(0, 8)}
      </nav>
      <PageHeader
        title={`${b.kind === "rollback" ? "Rollback" : "Upgrade"} of ${b.chartName} to ${b.targetVersion}`}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <StatusBadge status={b.status} />
            <span>by {b.createdBy} · created {formatTime(b.createdAt)}{b.finishedAt ? ` · finished ${formatTime(b.finishedAt)}` : ""}</span>
            {!finished ? <Badge tone={stream === "live" ? "green" : "amber"}>{stream === "live" ? "live" : "polling"}</Badge> : null}
            {b.rollbackOf ? <Link className="text-sky-800 underline" href={`/batches/${b.rollbackOf}`}>rolls back batch {b.rollbackOf.slice(0, 8)}</Link> : null}
            {b.policyId ? <Link className="text-sky-800 underline" href="/policies">queued by an upgrade policy</Link> : null}
          </span>
        }
        actions={
          can.canRunBatches ? (
            <>
              {b.status === "RUNNING" || b.status === "QUEUED" ? <Button onClick={() => run("pause")} disabled={action.pending}>Pause</Button> : null}
              {b.status === "PAUSED" ? <Button variant="primary" onClick={() => run("resume")} disabled={action.pending}>Resume</Button> : null}
              {!finished ? <Button variant="danger" onClick={() => setConfirming("cancel")} disabled={action.pending}>Cancel</Button> : null}
              {finished && b.kind === "upgrade" && b.counts.upgraded > 0 ? <Button onClick={() => setConfirming("rollback")} disabled={action.pending}>Roll back batch</Button> : null}
            </>
          ) : null
        }
      />
      <ConfirmDialog
        open={confirming !== null}
        title={confirming ? CONFIRM[confirming] : ""}
        confirmLabel={confirming === "rollback" ? "Yes, roll back batch" : "Yes, cancel batch"}
        busy={action.pending}
        onConfirm={() => confirming && run(confirming)}
        onCancel={() => setConfirming(null)}
      />
      {action.error ? <div className="mb-4"><ErrorMessage error={action.error} title="The batch refused" /></div> : null}
      <div className="space-y-6">
        <Card title="Progress">
          <div data-testid="batch-progress">
            <ProgressBar counts={b.counts} />
          </div>
          <dl className="mt-3 grid grid-cols-2 gap-3 text-sm sm:grid-cols-6" data-testid="batch-counts">
            {COUNT_NAMES.map((k) => (
              <div key={k} className="rounded-md bg-slate-50 p-2 text-center">
                <dt className="text-xs uppercase tracking-wide text-slate-600">{k}</dt>
                <dd className="text-lg font-semibold text-slate-900" data-count={k}>{shownCounts(b.counts)[k]}</dd>
              </div>
            ))}
          </dl>
        </Card>
        <section className="space-y-3" aria-labelledby="items-heading">
          <h2 id="items-heading" className="text-sm font-semibold text-slate-900">Items</h2>
          <ItemFilters filter={filter} onChange={changeFilter} showTenant={me.tenantId === null} />
          <ItemsTable page={page.data} error={page.error} filter={filter} counts={b.counts} pageNumber={cursors.length} onPage={turnPage} fetching={page.isFetching} />
        </section>
      </div>
    </>
  );
}
