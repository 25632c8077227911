"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { FINISHED_BATCH_STATUSES } from "@/contracts/batches";
import { usePermissions } from "../use-me";
import { ConfirmDialog } from "../confirm-dialog";
import { Badge, Button, Card, ErrorMessage, Loading, PageHeader, StatusBadge, Table, Td, Th, formatTime } from "../ui";
import { useBatch, useBatchAction, useBatchEvents, type BatchAction } from "./batch-api";
import { inUiWords } from "../ui-words";
import { ProgressBar } from "./progress";

const CONFIRM: Partial<Record<BatchAction, string>> = {
  cancel: "Cancel this batch? Releases not yet upgraded stay as they are.",
  rollback: "Roll back every release this batch upgraded to the revision it had before? This runs as a new batch.",
};

export function BatchDetail({ batchId }: { batchId: string }) {
  const router = useRouter();
  const can = usePermissions();
  // Poll until the live stream is connected (and whenever it drops).
  const [poll, setPoll] = useState(true);
  const batch = useBatch(batchId, { poll });
  const finished = !!batch.data && (FINISHED_BATCH_STATUSES as readonly string[]).includes(batch.data.status);
  const stream = useBatchEvents(batchId, !!batch.data && !finished);
  useEffect(() => setPoll(stream !== "live"), [stream]);
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
  const run = (a: BatchAction) =>
    action.mutate(a, {
      onSettled: () => setConfirming(null),
      onSuccess: (answer) => {
        if (a === "rollback" && answer && answer.id !== batchId) router.push(`/batches/${answer.id}`);
      },
    });

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
              {b.status === "RUNNING" || b.status === "QUEUED" ? <Button onClick={() => run("pause")} disabled={action.isPending}>Pause</Button> : null}
              {b.status === "PAUSED" ? <Button variant="primary" onClick={() => run("resume")} disabled={action.isPending}>Resume</Button> : null}
              {!finished ? <Button variant="danger" onClick={() => setConfirming("cancel")} disabled={action.isPending}>Cancel</Button> : null}
              {finished && b.kind === "upgrade" && b.counts.upgraded > 0 ? <Button onClick={() => setConfirming("rollback")} disabled={action.isPending}>Roll back batch</Button> : null}
            </>
          ) : null
        }
      />
      <ConfirmDialog
        open={confirming !== null}
        title={confirming ? CONFIRM[confirming] : ""}
        confirmLabel={confirming === "rollback" ? "Yes, roll back batch" : "Yes, cancel batch"}
        busy={action.isPending}
        onConfirm={() => confirming && run(confirming)}
        onCancel={() => setConfirming(null)}
      />
      {action.error ? <div className="mb-4"><ErrorMessage error={action.error} title="The batch refused" /></div> : null}
      <div className="space-y-6">
        <Card title="Progress">
          <div data-testid="batch-progress">
            <ProgressBar counts={b.counts} />
          </div>
          <dl className="mt-3 grid grid-cols-2 gap-3 text-sm sm:grid-cols-5" data-testid="batch-counts">
            {(["total", "pending", "upgraded", "failed", "skipped"] as const).map((k) => (
              <div key={k} className="rounded-md bg-slate-50 p-2 text-center">
                <dt className="text-xs uppercase tracking-wide text-slate-600">{k}</dt>
                <dd className="text-lg font-semibold text-slate-900" data-count={k}>{b.counts[k]}</dd>
              </div>
            ))}
          </dl>
        </Card>
        <Table label="Batch items in processing order">
          <thead>
            <tr>
              <Th>#</Th>
              <Th>Release</Th>
              <Th>From</Th>
              <Th>Status</Th>
              <Th>Revision</Th>
              <Th>Error</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {b.items.map((item) => (
              <tr key={item.releaseId} data-testid="batch-item" data-status={item.status} className={item.status === "RUNNING" ? "bg-amber-50/60" : undefined}>
                <Td className="text-xs text-slate-500">{item.position}</Td>
                <Td><Link className="text-sky-800 hover:underline" href={`/releases/${item.releaseId}`}>{item.tenantSlug}/{item.releaseName}</Link></Td>
                <Td className="font-mono text-xs">{item.fromVersion ?? "—"}</Td>
                <Td><StatusBadge status={item.status} /></Td>
                <Td>{item.revision ?? "—"}</Td>
                <Td className={`max-w-md text-xs ${item.status === "SKIPPED" ? "text-slate-700" : "text-red-800"}`}>{item.error ? inUiWords(item.error) : ""}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
        {b.itemsNext ? (
          <p className="text-xs text-slate-600" data-testid="batch-items-more">
            Showing the first {b.items.length} of {b.counts.total} items; the rest are listed by the API at {b.itemsNext}.
          </p>
        ) : null}
      </div>
    </>
  );
}
