"use client";

import Link from "next/link";
import type { BatchPreview } from "@/contracts/batches";
import { Badge, Empty, Table, TableHead, Td, statusTone, type Tone } from "../ui";
import { inUiWords } from "../ui-words";
import { predictedFailure, type PreviewItem } from "./predicted-failure";
import { REASON_WORDS } from "./reason-words";

type Outcome = PreviewItem["action"];

/** How each action's count reads in the summary sentence, in this order. */
const OUTCOMES: Record<Outcome, { words: string }> = {
  upgrade: { words: "would be upgraded" },
  skip: { words: "would be skipped" },
  refuse: { words: "would be refused by a failing check" },
};
const ACTION_TONE: Record<PreviewItem["action"], Tone> = { upgrade: "green", skip: "grey", refuse: "red" };
const TYPE_TONE: Record<string, Tone> = { major: "red", minor: "amber", patch: "green", prerelease: "violet" };

/**
 * "Of 17 releases behind 1.3.0, 11 would be upgraded, 4 would be skipped and 2 would be
 * refused. 9 of the upgrades come with a warning (see the checks), and 2 are predicted to
 * exceed the tenant's quota." All counts are the server's, over the whole batch.
 */
export function PreviewSummary({ preview }: { preview: BatchPreview }) {
  const parts = (Object.keys(OUTCOMES) as Outcome[]).filter((k) => preview.counts[k] > 0);
  const n = (k: Outcome) => preview.counts[k];
  const { warn: warned, overQuota } = preview.counts;
  return (
    <p className="text-sm text-slate-800" data-testid="preview-summary">
      Of <strong>{preview.counts.total}</strong> {preview.counts.total === 1 ? "release" : "releases"} behind {preview.targetVersion}
      {parts.length ? ", " : "."}
      {parts.map((k, i) => (
        <span key={k} data-outcome={k} data-count={n(k)}>
          <strong>{n(k)}</strong> {OUTCOMES[k].words}
          {i === parts.length - 1 ? "." : i === parts.length - 2 ? " and " : ", "}
        </span>
      ))}
      {warned > 0 ? (
        <span data-outcome="warn" data-count={warned}>
          {" "}
          <strong>{warned}</strong> of the upgrades {warned === 1 ? "comes" : "come"} with a warning (see the checks)
          {overQuota > 0 ? (
            <>
              , and <strong data-outcome="over-quota" data-count={overQuota}>{overQuota}</strong> {overQuota === 1 ? "is" : "are"} predicted to exceed the tenant&apos;s quota
            </>
          ) : null}
          .
        </span>
      ) : null}
    </p>
  );
}

function Reason({ item }: { item: PreviewItem }) {
  const notes = (item.plan?.checks ?? []).filter((c) => c.status !== "pass");
  return (
    <div className="min-w-48 space-y-1 text-xs">
      {item.reasonCode || item.reason ? (
        <p className={item.action === "refuse" ? "text-red-800" : "text-slate-700"} data-reason={item.reasonCode ?? undefined}>
          {item.reasonCode ? REASON_WORDS[item.reasonCode] : inUiWords(item.reason!)}
        </p>
      ) : null}
      {notes.length ? (
        <ul className="space-y-0.5">
          {notes.map((c) => (
            <li key={c.id} className="text-slate-700">
              <Badge tone={statusTone(c.status)}>{c.status.toUpperCase()}</Badge> <span className="font-mono">{c.id}</span>: {inUiWords(c.message)}
            </li>
          ))}
        </ul>
      ) : !item.reason ? (
        <p className="text-slate-600">all five checks pass</p>
      ) : null}
    </div>
  );
}

/** Every release of the dry run in rollout order: who, what the batch would do, and why. */
export function PreviewTable({ items, firstPosition = 1 }: { items: PreviewItem[]; firstPosition?: number }) {
  if (!items.length) return <Empty>No release needs this upgrade: the batch would be empty.</Empty>;
  return (
    <Table label="Batch preview">
      <TableHead columns={["#", "Tenant", "Namespace", "Release", "From", "Action", "Reason and checks"]} />
      <tbody className="divide-y divide-slate-100">
        {items.map((item, i) => {
          const failure = predictedFailure(item);
          return (
            <tr key={item.releaseId} data-testid="preview-row" data-action={item.action} data-predicted-failure={failure ? "true" : undefined}>
              <Td className="text-xs text-slate-600">{firstPosition + i}</Td>
              <Td>{item.tenantSlug}</Td>
              <Td>{item.namespace}</Td>
              <Td>
                <Link className="text-sky-800 hover:underline" href={`/releases/${item.releaseId}`}>
                  {item.releaseName}
                </Link>
              </Td>
              <Td className="whitespace-nowrap font-mono text-xs">
                {item.fromVersion ?? "—"}
                {item.plan?.upgradeType ? (
                  <span className="ml-1">
                    <Badge tone={TYPE_TONE[item.plan.upgradeType]}>{item.plan.upgradeType}</Badge>
                  </span>
                ) : null}
              </Td>
              <Td>
                <span className="flex flex-wrap gap-1">
                  <Badge tone={ACTION_TONE[item.action]}>{item.action}</Badge>
                  {failure ? <Badge tone="red">predicted to fail</Badge> : null}
                </span>
              </Td>
              <Td>
                <Reason item={item} />
              </Td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
