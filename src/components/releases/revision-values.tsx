"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { RevisionView } from "@/contracts/releases";
import { useTRPC } from "@/trpc/react";
import { DiffTable } from "../diff-table";
import { Tabs } from "../tabs";
import { Card, ErrorMessage, Loading, Select } from "../ui";
import { diffValues, toYaml } from "../values";

const KINDS = [
  { key: "values", label: "Computed values" },
  { key: "userValues", label: "User values" },
  { key: "valuesOverride", label: "Override sent" },
] as const;

export function RevisionValues({ releaseId, revisions, revision, onChange }: { releaseId: string; revisions: RevisionView[]; revision: number; onChange: (r: number) => void }) {
  const trpc = useTRPC();
  const [kind, setKind] = useState<(typeof KINDS)[number]["key"]>("values");
  const rev = useQuery(trpc.releases.revision.queryOptions({ releaseId, revision }));
  return (
    <Card
      title={`Values of revision ${revision}`}
      actions={
        <div className="w-32">
          <Select id="values-revision" label="Revision to show" value={String(revision)} onChange={(v) => onChange(Number(v))}>
            {revisions.map((r) => (
              <option key={r.revision} value={r.revision}>Revision {r.revision}</option>
            ))}
          </Select>
        </div>
      }
    >
      <Tabs
        label="Which values"
        tabs={KINDS}
        selected={kind}
        onSelect={setKind}
        panelTestId="values-yaml"
        panelClassName="max-h-96 overflow-auto rounded-md bg-slate-900 p-3 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600"
      >
        {rev.error ? <ErrorMessage error={rev.error} /> : rev.data ? (
          <pre className="whitespace-pre font-mono text-xs leading-relaxed text-slate-100">{toYaml(rev.data[kind])}</pre>
        ) : <Loading />}
      </Tabs>
    </Card>
  );
}

export function RevisionCompare({ releaseId, revisions }: { releaseId: string; revisions: RevisionView[] }) {
  const trpc = useTRPC();
  // Until the user picks, compare the two newest revisions, following new ones as they land.
  const newest = revisions[0]!.revision;
  const [picked, setPicked] = useState<{ from: number; to: number } | null>(null);
  const from = picked?.from ?? revisions[1]?.revision ?? newest;
  const to = picked?.to ?? newest;
  const setFrom = (v: number) => setPicked({ from: v, to });
  const setTo = (v: number) => setPicked({ from, to: v });
  const a = useQuery(trpc.releases.revision.queryOptions({ releaseId, revision: from }));
  const b = useQuery(trpc.releases.revision.queryOptions({ releaseId, revision: to }));
  const options = revisions.map((r) => (
    <option key={r.revision} value={r.revision}>
      Revision {r.revision} ({r.chartVersion})
    </option>
  ));
  return (
    <Card title="Compare revisions">
      <div className="mb-3 grid grid-cols-2 gap-3">
        <div>
          <label htmlFor="diff-from" className="mb-1 block text-xs font-medium text-slate-700">From</label>
          <Select id="diff-from" value={String(from)} onChange={(v) => setFrom(Number(v))}>{options}</Select>
        </div>
        <div>
          <label htmlFor="diff-to" className="mb-1 block text-xs font-medium text-slate-700">To</label>
          <Select id="diff-to" value={String(to)} onChange={(v) => setTo(Number(v))}>{options}</Select>
        </div>
      </div>
      {a.error || b.error ? <ErrorMessage error={a.error ?? b.error} /> : a.data && b.data ? (
        <div data-testid="revision-diff">
          <p className="mb-2 text-xs text-slate-600">
            Computed values: chart <span className="font-mono">{a.data.chartVersion}</span> → <span className="font-mono">{b.data.chartVersion}</span>
          </p>
          <DiffTable diff={diffValues(a.data.values, b.data.values)} label={`Values diff from revision ${from} to ${to}`} emptyText="The two revisions have identical values." />
        </div>
      ) : <Loading />}
    </Card>
  );
}
