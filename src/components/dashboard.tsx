"use client";

import { useQueries, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { ChartSummary } from "@/contracts/charts";
import { PENDING_STATUSES } from "@/contracts/releases";
import { useTRPC } from "@/trpc/react";
import { Card, Empty, ErrorMessage, Loading, PageHeader, StatusBadge, formatTime } from "./ui";
import { VersionChart } from "./version-chart";
import { defaultTargetVersion } from "./versions";

const NEEDS_UPGRADE_LIMIT = 500;

function ChartCard({ chart }: { chart: ChartSummary }) {
  const trpc = useTRPC();
  const distribution = useQuery(trpc.fleet.versions.queryOptions({ chartName: chart.name }));
  // Lagging means behind the newest stable version: a prerelease is never the default target.
  const versions = useQuery(trpc.charts.versions.queryOptions({ chartName: chart.name }));
  const target = defaultTargetVersion(versions.data);
  const needs = useQuery({
    ...trpc.fleet.needsUpgrade.queryOptions({ chartName: chart.name, targetVersion: target ?? "", limit: NEEDS_UPGRADE_LIMIT }),
    enabled: !!target,
  });
  const lagging = needs.data ? `${needs.data.items.length}${needs.data.nextCursor ? "+" : ""}` : "…";
  return (
    <Card
      title={
        <span className="flex flex-wrap items-baseline gap-2">
          <Link href={`/charts?chart=${encodeURIComponent(chart.name)}`} className="text-sky-800 hover:underline">
            {chart.name}
          </Link>
          <span className="text-xs font-normal text-slate-600">
            newest stable <span className="font-mono text-slate-800">{target ?? "…"}</span> · {chart.versions} versions
            {target && chart.latestVersion !== target ? (
              <>
                {" "}· prerelease <span className="font-mono text-slate-800">{chart.latestVersion}</span>
              </>
            ) : null}
          </span>
        </span>
      }
    >
      {distribution.error ? <ErrorMessage error={distribution.error} /> : distribution.data ? <VersionChart chartName={chart.name} distribution={distribution.data} latest={target} /> : <Loading />}
      <div className="mt-3 flex flex-wrap items-center justify-between gap-2 border-t border-slate-100 pt-3 text-sm">
        {needs.error ? (
          <ErrorMessage error={needs.error} />
        ) : (
          <span data-testid={`needs-upgrade-${chart.name}`}>
            <strong className="text-slate-900">{lagging}</strong> <span className="text-slate-600">{lagging === "1" ? "release needs" : "releases need"} upgrade to {target ?? "…"}</span>
          </span>
        )}
        {target ? (
          <Link href={`/needs-upgrade?chart=${encodeURIComponent(chart.name)}&target=${encodeURIComponent(target)}`} className="font-medium text-sky-800 hover:underline">
            See which →
          </Link>
        ) : null}
      </div>
    </Card>
  );
}

function TroubleList() {
  const trpc = useTRPC();
  const statuses = ["FAILED", ...PENDING_STATUSES] as const;
  const results = useQueries({ queries: statuses.map((status) => trpc.releases.list.queryOptions({ status, limit: 50 })) });
  const error = results.find((r) => r.error)?.error;
  const items = results.flatMap((r) => r.data?.items ?? []).sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  return (
    <Card title="Failed and pending releases" actions={<Link href="/releases?status=FAILED" className="text-sm font-medium text-sky-800 hover:underline">All failed →</Link>}>
      {error ? (
        <ErrorMessage error={error} />
      ) : results.some((r) => r.isPending) ? (
        <Loading />
      ) : !items.length ? (
        <Empty>Every release is deployed. Nothing failed or pending.</Empty>
      ) : (
        <ul className="divide-y divide-slate-100" data-testid="trouble-list">
          {items.map((r) => (
            <li key={r.id} className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm">
              <Link href={`/releases/${r.id}`} className="font-medium text-sky-800 hover:underline">
                {r.tenantSlug}/{r.namespace}/{r.name}
              </Link>
              <span className="flex items-center gap-2 text-slate-600">
                <span className="font-mono text-xs">{r.chartName} {r.chartVersion ?? "—"}</span>
                <StatusBadge status={r.status} />
                <span className="hidden text-xs md:inline">{formatTime(r.updatedAt)}</span>
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

export function Dashboard() {
  const trpc = useTRPC();
  const charts = useQuery(trpc.charts.list.queryOptions());
  return (
    <>
      <PageHeader title="Fleet dashboard" description="Which chart versions run where, what lags behind, and what is failing." />
      {charts.error ? <ErrorMessage error={charts.error} title="Could not load the charts" /> : null}
      {charts.isPending ? <Loading /> : null}
      <div className="grid gap-4 lg:grid-cols-2">
        {charts.data?.map((chart) => <ChartCard key={chart.name} chart={chart} />)}
      </div>
      {charts.data && !charts.data.length ? <Empty>No charts published yet.</Empty> : null}
      <div className="mt-6">
        <TroubleList />
      </div>
    </>
  );
}
