"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { POLICY_MODES, type PolicyMode, type PolicyView } from "@/contracts/policies";
import { useTRPC } from "@/trpc/react";
import { useMe, usePermissions } from "../use-me";
import { Badge, Button, Card, Empty, ErrorMessage, Field, Loading, PageHeader, StatusBadge, Table, Td, Th, fieldError, formatTime, inputClass } from "../ui";

function CreatePolicy() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useMe();
  const can = usePermissions();
  const charts = useQuery(trpc.charts.list.queryOptions());
  const tenants = useQuery(trpc.tenants.list.queryOptions());
  const [chartName, setChartName] = useState("");
  // A tenant-admin's policies are its own tenant's: the form starts (and stays) there.
  const [tenant, setTenant] = useState(can.isPlatformAdmin ? "" : (me.tenantSlug ?? ""));
  const [range, setRange] = useState("");
  const [mode, setMode] = useState<PolicyMode>("auto");
  const [canary, setCanary] = useState("");
  const create = useMutation(
    trpc.policies.create.mutationOptions({
      onSuccess: async () => {
        setRange("");
        await queryClient.invalidateQueries({ queryKey: trpc.policies.pathKey() });
      },
    }),
  );
  const chart = chartName || charts.data?.[0]?.name || "";
  return (
    <Card title="Create an upgrade policy">
      <form
        className="grid gap-4 md:grid-cols-3 lg:grid-cols-6"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({
            chartName: chart,
            ...(tenant ? { tenant } : {}),
            range: range.trim(),
            mode,
            includePrerelease: false,
            concurrency: 1,
            enabled: true,
            ...(canary ? { canary: Number(canary) } : {}),
          });
        }}
      >
        <Field label="Chart" htmlFor="policy-chart" error={fieldError(create.error, "chartName")}>
          <select id="policy-chart" className={inputClass} value={chart} onChange={(e) => setChartName(e.target.value)}>
            {charts.data?.map((c) => (
              <option key={c.name} value={c.name}>{c.name}</option>
            ))}
          </select>
        </Field>
        <Field label="Tenant" htmlFor="policy-tenant" error={fieldError(create.error, "tenant")}>
          <select id="policy-tenant" className={inputClass} value={tenant} onChange={(e) => setTenant(e.target.value)} disabled={!can.isPlatformAdmin}>
            {can.isPlatformAdmin ? <option value="">Every tenant without its own policy</option> : null}
            {tenants.data?.map((t) => (
              <option key={t.id} value={t.slug}>{t.slug}</option>
            ))}
          </select>
        </Field>
        <Field label="Semver range" htmlFor="policy-range" hint='e.g. "~1.3", "^1", ">=1.2 <2"' error={fieldError(create.error, "range")}>
          <input id="policy-range" required className={inputClass} value={range} onChange={(e) => setRange(e.target.value)} placeholder="^1" />
        </Field>
        <Field label="Mode" htmlFor="policy-mode">
          <select id="policy-mode" className={inputClass} value={mode} onChange={(e) => setMode(e.target.value as PolicyMode)}>
            {POLICY_MODES.map((m) => (
              <option key={m} value={m}>{m === "auto" ? "auto: upgrade" : "notify only"}</option>
            ))}
          </select>
        </Field>
        <Field label="Canary (optional)" htmlFor="policy-canary" error={fieldError(create.error, "canary")}>
          <input id="policy-canary" type="number" min={1} className={inputClass} value={canary} onChange={(e) => setCanary(e.target.value)} />
        </Field>
        <div className="flex items-end">
          <Button type="submit" variant="primary" disabled={create.isPending || !chart || !range.trim()}>
            {create.isPending ? "Creating…" : "Create policy"}
          </Button>
        </div>
        {create.error ? (
          <div className="md:col-span-3 lg:col-span-6">
            <ErrorMessage error={create.error} title="Policy not created" />
          </div>
        ) : null}
      </form>
    </Card>
  );
}

function PolicyPreview({ policy }: { policy: PolicyView }) {
  const trpc = useTRPC();
  const preview = useQuery(trpc.policies.preview.queryOptions({ id: policy.id }));
  if (preview.error) return <ErrorMessage error={preview.error} />;
  if (!preview.data) return <Loading label="Computing…" />;
  const { targetVersion, counts, releases } = preview.data;
  if (!targetVersion) return <p className="text-sm text-slate-600">No published, non-deprecated version of {policy.chartName} is in {policy.range}.</p>;
  return (
    <div className="space-y-2 text-sm" data-testid="policy-preview">
      <p>
        Target <strong>{targetVersion}</strong>: {counts.total} release{counts.total === 1 ? "" : "s"} below it, {counts.inWindow} in an open window, {counts.outsideWindow} waiting for their window.
      </p>
      {releases.length ? (
        <ul className="list-disc pl-5 text-xs text-slate-700">
          {releases.map((r) => (
            <li key={r.id}>
              <Link className="text-sky-800 underline" href={`/releases/${r.id}`}>
                {r.tenantSlug}/{r.name}
              </Link>{" "}
              runs {r.chartVersion ?? "nothing"}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function LastBatch({ batchId }: { batchId: string }) {
  const trpc = useTRPC();
  const batch = useQuery(trpc.batches.get.queryOptions({ batchId }));
  return (
    <span className="flex flex-wrap items-center gap-1 text-xs" data-testid="policy-batch">
      <Link className="text-sky-800 underline" href={`/batches/${batchId}`}>
        batch {batchId.slice(0, 8)}
      </Link>
      {batch.data ? (
        <>
          <StatusBadge status={batch.data.status} /> to {batch.data.targetVersion}, {batch.data.counts.upgraded}/{batch.data.counts.total} upgraded
        </>
      ) : null}
    </span>
  );
}

function PolicyRow({ policy, canWrite }: { policy: PolicyView; canWrite: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [confirm, setConfirm] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.policies.pathKey() });
  const toggle = useMutation(trpc.policies.update.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.policies.delete.mutationOptions({ onSuccess: refresh }));
  return (
    <>
      <tr data-testid="policy-row">
        <Td className="font-medium">{policy.chartName}</Td>
        <Td>{policy.tenant ?? <Badge tone="blue">fleet</Badge>}</Td>
        <Td className="font-mono text-xs">{policy.range}</Td>
        <Td>
          <Badge tone={policy.mode === "auto" ? "green" : "grey"}>{policy.mode}</Badge> {policy.enabled ? null : <Badge>disabled</Badge>}
        </Td>
        <Td className="text-xs text-slate-600">
          {formatTime(policy.lastEvaluatedAt)}
          {policy.lastBatchId ? <LastBatch batchId={policy.lastBatchId} /> : null}
        </Td>
        <Td className="text-right">
          <span className="flex flex-wrap items-center justify-end gap-1">
            <Button onClick={() => setOpen(!open)} aria-expanded={open} aria-label={`Preview policy for ${policy.chartName} ${policy.tenant ?? "fleet"}`}>
              {open ? "Hide preview" : "Preview"}
            </Button>
            {canWrite ? (
              <>
                <Button onClick={() => toggle.mutate({ id: policy.id, changes: { enabled: !policy.enabled } })} disabled={toggle.isPending}>
                  {policy.enabled ? "Disable" : "Enable"}
                </Button>
                {confirm ? (
                  <>
                    <Button variant="danger" autoFocus onClick={() => remove.mutate({ id: policy.id })}>
                      Delete policy
                    </Button>
                    <Button onClick={() => setConfirm(false)}>Keep</Button>
                  </>
                ) : (
                  <Button onClick={() => setConfirm(true)}>Delete</Button>
                )}
              </>
            ) : null}
          </span>
          {toggle.error || remove.error ? <ErrorMessage error={toggle.error ?? remove.error} /> : null}
        </Td>
      </tr>
      {open ? (
        <tr>
          <Td className="bg-slate-50" colSpan={6}>
            <PolicyPreview policy={policy} />
          </Td>
        </tr>
      ) : null}
    </>
  );
}

export function PoliciesView() {
  const trpc = useTRPC();
  const can = usePermissions();
  const policies = useQuery(trpc.policies.list.queryOptions());
  return (
    <>
      <PageHeader
        title="Upgrade policies"
        description="Releases follow a semver range on their own: when a version in range is published (and every minute), a policy upgrades the releases whose maintenance window is open, development, staging, then production; the rest wait for their window."
      />
      <div className="space-y-6">
        {can.canOperateReleases ? <CreatePolicy /> : null}
        {policies.error ? (
          <ErrorMessage error={policies.error} />
        ) : !policies.data ? (
          <Loading />
        ) : policies.data.length === 0 ? (
          <Empty>No upgrade policies yet.</Empty>
        ) : (
          <Table label="Upgrade policies">
            <thead>
              <tr>
                <Th>Chart</Th>
                <Th>Tenant</Th>
                <Th>Range</Th>
                <Th>Mode</Th>
                <Th>Last evaluated</Th>
                <Th><span className="sr-only">Actions</span></Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {policies.data.map((p) => (
                <PolicyRow key={p.id} policy={p} canWrite={can.canOperateReleases} />
              ))}
            </tbody>
          </Table>
        )}
      </div>
    </>
  );
}
