"use client";

import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import type { BatchUpgradeInput } from "@/contracts/batches";
import type { JsonObject } from "@/contracts/common";
import { VALUES_STRATEGIES, type ValuesStrategy } from "@/contracts/releases";
import { useTRPC } from "@/trpc/react";
import { usePermissions } from "../use-me";
import { Badge, Button, Card, Empty, ErrorMessage, Field, Loading, PageHeader, StatusBadge, Table, Td, Th, formatTime, inputClass } from "../ui";
import { parseValuesYaml } from "../values";
import { TargetVersionPicker } from "../version-picker";
import { defaultTargetVersion } from "../versions";
import { PreviewSummary, PreviewTable } from "./batch-preview";
import { predictedFailure } from "./predicted-failure";
import { ProgressBar } from "./progress";

/** What a new batch asks for: the start input without the parts this form never sends. */
type BatchStartInput = Omit<BatchUpgradeInput, "dryRun" | "async" | "limit" | "cursor" | "concurrency"> & { concurrency?: number };
const PREVIEW_PAGE_SIZE = 100;

function NewBatch() {
  const trpc = useTRPC();
  const router = useRouter();
  const params = useSearchParams();
  const charts = useQuery(trpc.charts.list.queryOptions());
  const tenants = useQuery(trpc.tenants.list.queryOptions());
  const [chart, setChart] = useState(params.get("chart") ?? "");
  const chartName = chart || charts.data?.[0]?.name || "";
  const versions = useQuery({ ...trpc.charts.versions.queryOptions({ chartName }), enabled: !!chartName });
  const [target, setTarget] = useState(params.get("target") ?? "");
  const targetVersion = target || defaultTargetVersion(versions.data) || "";
  const [tenant, setTenant] = useState(params.get("tenant") ?? "");
  const [canary, setCanary] = useState("");
  const [maxFailures, setMaxFailures] = useState("");
  const [ignoreWindows, setIgnoreWindows] = useState(false);
  const [atomic, setAtomic] = useState(false);
  const [acknowledge, setAcknowledge] = useState(false);
  const [strategy, setStrategy] = useState<ValuesStrategy>("reset-then-reuse");
  const [yamlText, setYamlText] = useState("");
  const [description, setDescription] = useState("");
  const parsed = useMemo(() => parseValuesYaml(yamlText), [yamlText]);
  const start = useMutation(trpc.batches.start.mutationOptions());

  const input: BatchStartInput | null =
    parsed.ok && chartName && targetVersion
      ? {
          chartName,
          targetVersion,
          tenant: tenant || undefined,
          canary: canary ? Number(canary) : undefined,
          maxFailures: maxFailures ? Number(maxFailures) : undefined,
          ignoreWindows,
          atomic,
          acknowledgeBreakingChanges: acknowledge,
          valuesStrategy: strategy,
          valuesOverride: parsed.value as JsonObject | undefined,
          description: description.trim() || undefined,
        }
      : null;
  // What the last Preview asked for, and which page of its answer is shown.
  const [previewed, setPreviewed] = useState<BatchStartInput | null>(null);
  const [previewCursors, setPreviewCursors] = useState<Array<string | undefined>>([undefined]);
  const preview = useQuery({
    ...trpc.batches.preview.queryOptions({ ...previewed!, limit: PREVIEW_PAGE_SIZE, cursor: previewCursors.at(-1) }),
    enabled: previewed !== null,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
    // One page of the dry run in memory: pages left behind are read again if revisited.
    gcTime: 0,
  });
  const stale = JSON.stringify(previewed) !== JSON.stringify(input);
  // Over the whole batch, from the server's counts; the alert names those on the page shown.
  const predicted = preview.data && !stale ? preview.data.counts.refuse + preview.data.counts.overQuota : 0;
  const failures = preview.data && !stale ? preview.data.items.filter((item) => predictedFailure(item) !== null) : [];
  // Running a batch that will fail some releases is allowed, but only as a decision taken
  // with the prediction in view (each run would leave another FAILED revision behind).
  const [override, setOverride] = useState(false);
  const blocked = predicted > 0 && !override;

  return (
    <Card title="New batch upgrade">
      <form
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          if (!input) return;
          setPreviewCursors([undefined]);
          setOverride(false);
          // The same batch previewed again is asked again: windows open and quotas fill meanwhile.
          if (stale) setPreviewed(input);
          else void preview.refetch();
        }}
      >
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5">
          <Field label="Chart" htmlFor="b-chart">
            <select id="b-chart" className={inputClass} value={chartName} onChange={(e) => { setChart(e.target.value); setTarget(""); }}>
              {charts.data?.map((c) => <option key={c.name}>{c.name}</option>)}
            </select>
          </Field>
          <TargetVersionPicker id="b-target" label="Target version" versions={versions.data} value={targetVersion} onChange={setTarget} />
          <Field label="Tenant" htmlFor="b-tenant">
            <select id="b-tenant" className={inputClass} value={tenant} onChange={(e) => setTenant(e.target.value)}>
              <option value="">All tenants</option>
              {tenants.data?.map((t) => <option key={t.id} value={t.slug}>{t.slug} ({t.environment})</option>)}
            </select>
          </Field>
          <Field label="Canary" htmlFor="b-canary" hint="upgrade the first N, then wait for Resume">
            <input id="b-canary" type="number" min={1} className={inputClass} value={canary} onChange={(e) => setCanary(e.target.value)} />
          </Field>
          <Field label="Max failures" htmlFor="b-maxf" hint="halt after this many failures">
            <input id="b-maxf" type="number" min={1} className={inputClass} value={maxFailures} onChange={(e) => setMaxFailures(e.target.value)} />
          </Field>
        </div>
        <details className="rounded-md border border-slate-200 p-3">
          <summary className="cursor-pointer text-sm font-medium text-slate-800">Values, strategy and options</summary>
          <div className="mt-3 grid gap-4 lg:grid-cols-2">
            <Field label="Values override for every release (YAML)" htmlFor="b-values" error={parsed.ok ? null : `YAML error: ${parsed.message}`}>
              <textarea id="b-values" rows={5} spellCheck={false} className={`${inputClass} font-mono text-xs`} value={yamlText} onChange={(e) => setYamlText(e.target.value)} aria-invalid={!parsed.ok} />
            </Field>
            <div className="space-y-3">
              <Field label="Values strategy" htmlFor="b-strategy">
                <select id="b-strategy" className={inputClass} value={strategy} onChange={(e) => setStrategy(e.target.value as ValuesStrategy)}>
                  {VALUES_STRATEGIES.map((s) => <option key={s}>{s}</option>)}
                </select>
              </Field>
              <Field label="Description" htmlFor="b-desc">
                <input id="b-desc" className={inputClass} value={description} onChange={(e) => setDescription(e.target.value)} />
              </Field>
              <div className="space-y-1 text-sm">
                <label className="flex items-center gap-2"><input type="checkbox" checked={ignoreWindows} onChange={(e) => setIgnoreWindows(e.target.checked)} /> Ignore maintenance windows</label>
                <label className="flex items-center gap-2"><input type="checkbox" checked={atomic} onChange={(e) => setAtomic(e.target.checked)} /> Atomic (roll back a release whose upgrade fails)</label>
                <label className="flex items-center gap-2"><input type="checkbox" checked={acknowledge} onChange={(e) => setAcknowledge(e.target.checked)} /> Acknowledge breaking changes</label>
              </div>
            </div>
          </div>
        </details>
        <div className="flex flex-wrap gap-2">
          <Button type="submit" disabled={!input || preview.isFetching}>{preview.isFetching ? "Previewing…" : "Preview (dry run)"}</Button>
          <Button
            type="button"
            variant="primary"
            disabled={!input || stale || !preview.data || preview.isPlaceholderData || blocked || start.isPending}
            title={stale ? "Preview this exact batch first" : blocked ? "Some releases are predicted to fail: tick the override below to run anyway" : undefined}
            onClick={() => input && start.mutate({ ...input, async: true }, { onSuccess: (batch) => router.push(`/batches/${batch.id}`) })}
          >
            {start.isPending ? "Starting…" : `Run batch to ${targetVersion}`}
          </Button>
        </div>
        {preview.error ? <ErrorMessage error={preview.error} title="Preview failed" /> : null}
        {start.error ? <ErrorMessage error={start.error} title="Batch not started" /> : null}
        {preview.data && !stale ? (
          <div data-testid="batch-preview" className="space-y-3">
            <PreviewSummary preview={preview.data} />
            {predicted ? (
              <div role="alert" className="space-y-2 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-900">
                <p className="font-semibold">
                  {predicted === 1 ? "1 release is" : `${predicted} releases are`} predicted to fail if this batch runs{failures.length ? "" : " (none on this page)"}:
                </p>
                <ul className="list-disc space-y-0.5 pl-5">
                  {failures.slice(0, 5).map((item) => (
                    <li key={item.releaseId}>
                      {item.tenantSlug}/{item.namespace}/{item.releaseName}: {predictedFailure(item)}
                    </li>
                  ))}
                  {predicted > Math.min(failures.length, 5) ? <li>and {predicted - Math.min(failures.length, 5)} more (marked in the table)</li> : null}
                </ul>
                <label className="flex items-start gap-2 font-medium">
                  <input type="checkbox" className="mt-0.5" checked={override} onChange={(e) => setOverride(e.target.checked)} />
                  Run anyway: I expect {predicted === 1 ? "this release" : "these releases"} to end FAILED
                </label>
              </div>
            ) : null}
            <PreviewTable items={preview.data.items} firstPosition={(previewCursors.length - 1) * PREVIEW_PAGE_SIZE + 1} />
            <nav aria-label="Preview pages" className="flex flex-wrap items-center gap-2">
              <Button type="button" disabled={previewCursors.length <= 1 || preview.isFetching} onClick={() => setPreviewCursors(previewCursors.slice(0, -1))}>Previous page</Button>
              <Button type="button" disabled={!preview.data.nextCursor || preview.isFetching} onClick={() => setPreviewCursors([...previewCursors, preview.data!.nextCursor ?? undefined])}>Next page</Button>
              <span className="text-xs text-slate-600" data-testid="preview-range">
                page {previewCursors.length} of {Math.max(1, Math.ceil(preview.data.counts.total / PREVIEW_PAGE_SIZE))}
              </span>
            </nav>
          </div>
        ) : null}
      </form>
    </Card>
  );
}

function BatchHistory() {
  const trpc = useTRPC();
  const list = useQuery({ ...trpc.batches.list.queryOptions({ limit: 100 }), refetchInterval: 5_000, select: (page) => page.items });
  if (list.error) return <ErrorMessage error={list.error} title="Could not load batches" />;
  if (!list.data) return <Loading />;
  if (!list.data.length) return <Empty>No batch has run yet.</Empty>;
  return (
    <Table label="Batch history">
      <thead>
        <tr>
          <Th>Started</Th>
          <Th>Chart</Th>
          <Th>Target</Th>
          <Th>Kind</Th>
          <Th>Status</Th>
          <Th>Progress</Th>
          <Th className="hidden md:table-cell">By</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {list.data.map((b) => (
          <tr key={b.id} data-testid="batch-row">
            <Td className="whitespace-nowrap text-xs">
              <Link className="text-sky-800 hover:underline" href={`/batches/${b.id}`}>{formatTime(b.startedAt ?? b.createdAt)}</Link>
            </Td>
            <Td className="font-mono text-xs">{b.chartName}</Td>
            <Td className="font-mono text-xs">{b.targetVersion}</Td>
            <Td><Badge>{b.kind}</Badge></Td>
            <Td><StatusBadge status={b.status} /></Td>
            <Td className="min-w-40"><ProgressBar counts={b.counts} compact /></Td>
            <Td className="hidden text-xs text-slate-600 md:table-cell">{b.createdBy}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

export function BatchesView() {
  const can = usePermissions();
  if (!can.canRunBatches) {
    return (
      <>
        <PageHeader title="Batch upgrades" />
        <p className="text-sm text-slate-700">Only platform admins run batch upgrades.</p>
      </>
    );
  }
  return (
    <>
      <PageHeader title="Batch upgrades" description="Upgrade every release of a chart that lags behind a target version, one after another, and watch it live." />
      <div className="space-y-6">
        <NewBatch />
        <section>
          <h2 className="mb-2 text-sm font-semibold text-slate-900">History</h2>
          <BatchHistory />
        </section>
      </div>
    </>
  );
}
