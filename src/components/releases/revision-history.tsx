"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { ReleaseView, RevisionView } from "@/contracts/releases";
import { useTRPC } from "@/trpc/react";
import { ConfirmDialog } from "../confirm-dialog";
import { Badge, Button, ErrorMessage, StatusBadge, formatTime } from "../ui";

export function RevisionHistory({
  release,
  revisions,
  canRollback,
  shown,
  onShow,
}: {
  release: ReleaseView;
  revisions: RevisionView[];
  canRollback: boolean;
  shown: number | null;
  onShow: (revision: number) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState<number | null>(null);
  const rollback = useMutation(
    trpc.releases.rollback.mutationOptions({
      onSuccess: async () => {
        setConfirming(null);
        await queryClient.invalidateQueries({ queryKey: trpc.releases.pathKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.fleet.pathKey() });
      },
    }),
  );
  const busy = release.status.startsWith("PENDING");

  return (
    <div className="space-y-3">
      <div className="relative overflow-x-auto">
        <table aria-label="Revision history" className="min-w-full text-sm">
          <thead>
            <tr className="border-b border-slate-200 text-left text-xs uppercase tracking-wide text-slate-600">
              <th scope="col" className="py-2 pr-3">Rev</th>
              <th scope="col" className="py-2 pr-3">Status</th>
              <th scope="col" className="py-2 pr-3">Operation</th>
              <th scope="col" className="py-2 pr-3">Chart</th>
              <th scope="col" className="py-2 pr-3">App</th>
              <th scope="col" className="py-2 pr-3">Description</th>
              <th scope="col" className="py-2 pr-3">Actor</th>
              <th scope="col" className="py-2 pr-3">Started</th>
              <th scope="col" className="py-2"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {revisions.map((rev) => (
              <tr key={rev.revision} data-testid={`revision-${rev.revision}`} className={shown === rev.revision ? "bg-sky-50/60" : undefined}>
                <td className="py-2 pr-3 font-semibold">{rev.revision}</td>
                <td className="py-2 pr-3"><StatusBadge status={rev.status} /></td>
                <td className="py-2 pr-3"><Badge>{rev.operation}</Badge></td>
                <td className="py-2 pr-3 font-mono text-xs">{rev.chartVersion}</td>
                <td className="py-2 pr-3 font-mono text-xs">{rev.appVersion}</td>
                <td className="max-w-xs py-2 pr-3 text-slate-700">
                  {rev.description || "—"}
                  {rev.error ? <p className="mt-1 text-xs text-red-800">{rev.error}</p> : null}
                </td>
                <td className="py-2 pr-3 text-xs text-slate-700">{rev.actor}</td>
                <td className="whitespace-nowrap py-2 pr-3 text-xs text-slate-600">{formatTime(rev.startedAt)}</td>
                <td className="whitespace-nowrap py-2 text-right">
                  <span className="flex justify-end gap-1">
                    <Button variant="ghost" className="text-sky-800" onClick={() => onShow(rev.revision)} aria-label={`Show values of revision ${rev.revision}`}>
                      Values
                    </Button>
                    {canRollback && rev.revision !== release.revision && rev.status !== "FAILED" && !rev.status.startsWith("PENDING") ? (
                      <Button variant="ghost" className="text-amber-900" disabled={busy} onClick={() => { rollback.reset(); setConfirming(rev.revision); }} aria-label={`Roll back to revision ${rev.revision}`}>
                        Roll back
                      </Button>
                    ) : null}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <ConfirmDialog
        open={confirming !== null}
        title={`Roll ${release.tenantSlug}/${release.namespace}/${release.name} back to revision ${confirming}?`}
        confirmLabel={rollback.isPending ? "Rolling back…" : `Yes, roll back to ${confirming}`}
        busy={rollback.isPending}
        error={rollback.error ? <ErrorMessage error={rollback.error} title="Rollback refused" /> : null}
        onConfirm={() => confirming !== null && rollback.mutate({ releaseId: release.id, revision: confirming })}
        onCancel={() => {
          setConfirming(null);
          rollback.reset();
        }}
      >
        This records revision {release.latestRevision + 1} with revision {confirming}&apos;s chart version and values
        ({revisions.find((r) => r.revision === confirming)?.chartVersion}).
      </ConfirmDialog>
      {rollback.data ? (
        <p role="status" className="text-sm text-slate-800" data-testid="rollback-result">
          Rollback recorded as revision <strong>{rollback.data.revision.revision}</strong>: <StatusBadge status={rollback.data.revision.status} />
          {rollback.data.revision.error ? <span className="ml-2 text-red-800">{rollback.data.revision.error}</span> : null}
        </p>
      ) : null}
    </div>
  );
}
