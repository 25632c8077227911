"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useTRPC } from "@/trpc/react";
import { TargetVersionPicker } from "../version-picker";
import { defaultTargetVersion } from "../versions";
import { usePermissions } from "../use-me";
import { Badge, Button, ButtonLink, Empty, ErrorMessage, Loading, PageHeader, Select, StatusBadge, Table, Td, Th, type Tone } from "../ui";

const TYPE_TONE: Record<string, Tone> = { major: "red", minor: "amber", patch: "green", prerelease: "violet" };

export function NeedsUpgradeView() {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const can = usePermissions();
  const charts = useQuery(trpc.charts.list.queryOptions());
  const tenants = useQuery(trpc.tenants.list.queryOptions());
  const chartName = params.get("chart") ?? charts.data?.[0]?.name ?? "";
  const versions = useQuery({ ...trpc.charts.versions.queryOptions({ chartName }), enabled: !!chartName });
  const target = params.get("target") || defaultTargetVersion(versions.data) || "";
  const tenant = params.get("tenant") ?? "";
  const lagging = useInfiniteQuery({
    ...trpc.fleet.needsUpgrade.infiniteQueryOptions(
      { chartName, targetVersion: target, tenant: tenant || undefined, limit: 100 },
      { getNextPageParam: (p) => p.nextCursor ?? undefined },
    ),
    enabled: !!chartName && !!target,
  });
  const rows = lagging.data?.pages.flatMap((p) => p.items) ?? [];
  function go(next: { chart?: string; target?: string; tenant?: string }) {
    const merged = { chart: chartName, target, tenant, ...next };
    const sp = new URLSearchParams();
    for (const [k, v] of Object.entries(merged)) if (v) sp.set(k, v);
    router.replace(`${pathname}?${sp}`);
  }
  const byType = rows.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.upgradeType]: (acc[r.upgradeType] ?? 0) + 1 }), {});

  return (
    <>
      <PageHeader
        title="Needs upgrade"
        description="Releases whose deployed version is lower than the target, by semver precedence."
        actions={can.canRunBatches && chartName && target ? <ButtonLink variant="primary" href={`/batches?chart=${encodeURIComponent(chartName)}&target=${encodeURIComponent(target)}${tenant ? `&tenant=${encodeURIComponent(tenant)}` : ""}`}>Plan a batch upgrade</ButtonLink> : null}
      />
      <div className="mb-4 grid gap-3 rounded-lg border border-slate-200 bg-white p-3 shadow-sm sm:grid-cols-3">
        <div>
          <label htmlFor="nu-chart" className="mb-1 block text-xs font-medium text-slate-700">Chart</label>
          <Select id="nu-chart" value={chartName} onChange={(v) => go({ chart: v, target: "" })}>
            {charts.data?.map((c) => (
              <option key={c.name} value={c.name}>{c.name}</option>
            ))}
          </Select>
        </div>
        <TargetVersionPicker id="nu-target" label="Target version" versions={versions.data} value={target} onChange={(v) => go({ target: v })} />
        <div>
          <label htmlFor="nu-tenant" className="mb-1 block text-xs font-medium text-slate-700">Tenant</label>
          <Select id="nu-tenant" value={tenant} onChange={(v) => go({ tenant: v })}>
            <option value="">All tenants</option>
            {tenants.data?.map((t) => (
              <option key={t.id} value={t.slug}>{t.slug}</option>
            ))}
          </Select>
        </div>
      </div>
      {lagging.error ? <ErrorMessage error={lagging.error} /> : null}
      {lagging.isPending && chartName && target ? <Loading /> : lagging.data ? (
        <>
          <p className="mb-2 flex flex-wrap items-center gap-2 text-sm text-slate-700" data-testid="needs-upgrade-count">
            <strong>{rows.length}{lagging.hasNextPage ? "+" : ""}</strong> releases behind {target}
            {Object.entries(byType).map(([t, n]) => (
              <Badge key={t} tone={TYPE_TONE[t]}>{n} {t}</Badge>
            ))}
          </p>
          <Table label={`Releases needing upgrade to ${target}`}>
            <thead>
              <tr>
                <Th>Release</Th>
                <Th>Tenant</Th>
                <Th>Running</Th>
                <Th>Upgrade type</Th>
                <Th>Status</Th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((r) => (
                <tr key={r.id} data-testid="needs-upgrade-row">
                  <Td>
                    <Link className="font-medium text-sky-800 hover:underline" href={`/releases/${r.id}`}>{r.namespace}/{r.name}</Link>
                  </Td>
                  <Td>{r.tenantSlug}</Td>
                  <Td className="font-mono text-xs">{r.chartVersion} → {target}</Td>
                  <Td><Badge tone={TYPE_TONE[r.upgradeType]}>{r.upgradeType}</Badge></Td>
                  <Td><StatusBadge status={r.status} /></Td>
                </tr>
              ))}
            </tbody>
          </Table>
          {!rows.length ? <Empty>Every release already runs {target} or newer.</Empty> : null}
          {lagging.hasNextPage ? (
            <div className="mt-3 text-right">
              <Button onClick={() => void lagging.fetchNextPage()} disabled={lagging.isFetchingNextPage}>Load more</Button>
            </div>
          ) : null}
        </>
      ) : null}
    </>
  );
}
