"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import type { ReleaseView } from "@/contracts/releases";
import { useTRPC } from "@/trpc/react";
import { usePermissions } from "../use-me";
import { Card, ErrorMessage, Loading, PageHeader, StatusBadge, formatTime } from "../ui";
import { RevisionCompare, RevisionValues } from "./revision-values";
import { RevisionHistory } from "./revision-history";
import { UpgradeForm } from "./upgrade-form";

function Summary({ release }: { release: ReleaseView }) {
  const rows: [string, React.ReactNode][] = [
    ["Tenant", release.tenantSlug],
    ["Namespace", release.namespace],
    ["Chart", <span key="c" className="font-mono">{release.chartName}</span>],
    ["Running version", <span key="v" className="font-mono">{release.chartVersion ?? "—"}</span>],
    ["App version", <span key="a" className="font-mono">{release.appVersion ?? "—"}</span>],
    ["Deployed revision", release.revision ?? "—"],
    ["Latest revision", release.latestRevision],
    ["Status", <StatusBadge key="s" status={release.status} />],
    ["Updated", formatTime(release.updatedAt)],
  ];
  return (
    <Card title="Summary">
      <dl className="grid grid-cols-2 gap-x-6 gap-y-3 text-sm sm:grid-cols-3 lg:grid-cols-5" data-testid="release-summary">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{k}</dt>
            <dd className="mt-0.5 text-slate-900">{v}</dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}

export function ReleaseDetail({ releaseId }: { releaseId: string }) {
  const trpc = useTRPC();
  const can = usePermissions();
  // While an operation is pending (here or from elsewhere), follow it until it settles.
  const pending = (q: { state: { data?: { status: string } } }) => (q.state.data?.status.startsWith("PENDING") ? 2_000 : false);
  const release = useQuery({ ...trpc.releases.get.queryOptions({ releaseId }), refetchInterval: pending });
  const revisions = useQuery({ ...trpc.releases.revisions.queryOptions({ releaseId }), refetchInterval: release.data?.status.startsWith("PENDING") ? 2_000 : false });
  const [shown, setShown] = useState<number | null>(null);

  if (release.error) {
    return (
      <>
        <PageHeader title="Release" />
        <ErrorMessage error={release.error} title="Could not load this release" />
        <p className="mt-4 text-sm">
          <Link href="/releases" className="text-sky-800 underline">Back to releases</Link>
        </p>
      </>
    );
  }
  if (!release.data) return <Loading />;
  const r = release.data;
  const latest = revisions.data?.[0]?.revision;
  const shownRevision = shown ?? r.revision ?? latest ?? null;

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm text-slate-600">
        <Link href="/releases" className="text-sky-800 hover:underline">Releases</Link> / {r.tenantSlug}
      </nav>
      <PageHeader title={`${r.tenantSlug}/${r.namespace}/${r.name}`} description={`${r.chartName} in namespace ${r.namespace} of tenant ${r.tenantSlug}`} />
      <div className="space-y-6">
        <Summary release={r} />
        <Card title="Revision history">
          {revisions.error ? <ErrorMessage error={revisions.error} /> : revisions.data ? (
            <RevisionHistory release={r} revisions={revisions.data} canRollback={can.canOperateReleases} shown={shownRevision} onShow={setShown} />
          ) : <Loading />}
        </Card>
        <div className="grid gap-6 xl:grid-cols-2">
          {revisions.data && shownRevision ? <RevisionValues releaseId={r.id} revisions={revisions.data} revision={shownRevision} onChange={setShown} /> : null}
          {revisions.data && revisions.data.length > 0 ? <RevisionCompare releaseId={r.id} revisions={revisions.data} /> : null}
        </div>
        {can.canOperateReleases ? <UpgradeForm release={r} /> : <p className="text-sm text-slate-600">Your role may read this release but not upgrade or roll it back.</p>}
      </div>
    </>
  );
}
