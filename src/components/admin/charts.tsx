"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useTRPC } from "@/trpc/react";
import { usePermissions } from "../use-me";
import { PublishChart } from "./publish-chart";
import { Badge, Card, Empty, ErrorMessage, Loading, PageHeader, cx, formatTime, type Tone } from "../ui";

const KIND_TONE: Record<string, Tone> = { added: "green", changed: "blue", fixed: "grey", deprecated: "amber", removed: "red", security: "violet" };

function ChartVersions({ chartName, latest }: { chartName: string; latest: string }) {
  const trpc = useTRPC();
  const versions = useQuery(trpc.charts.versions.queryOptions({ chartName }));
  if (versions.error) return <ErrorMessage error={versions.error} />;
  if (!versions.data) return <Loading />;
  return (
    <ol className="space-y-4" aria-label={`Versions of ${chartName}`} data-testid="chart-versions">
      {versions.data.map((v) => (
        <li key={v.version}>
          <Card
            title={
              <span className="flex flex-wrap items-center gap-2">
                <span className="font-mono text-base">{v.version}</span>
                <span className="text-xs font-normal text-slate-600">app {v.appVersion}</span>
                {v.version === latest ? <Badge tone="blue">newest</Badge> : null}
                {v.containsSecurityUpdates ? <Badge tone="violet" title="This version contains security fixes">security update</Badge> : null}
                {v.deprecated ? <Badge tone="amber">deprecated</Badge> : null}
              </span>
            }
            actions={
              <span className="flex items-center gap-3 text-xs text-slate-600">
                {formatTime(v.createdAt)}
                <Link className="font-medium text-sky-800 hover:underline" href={`/needs-upgrade?chart=${encodeURIComponent(chartName)}&target=${encodeURIComponent(v.version)}`}>
                  Who is behind?
                </Link>
              </span>
            }
          >
            {v.changes.length ? (
              <ul className="space-y-1.5 text-sm">
                {v.changes.map((c, i) => (
                  <li key={i} className="flex items-start gap-2">
                    <span className="w-24 shrink-0">
                      <Badge tone={KIND_TONE[c.kind] ?? "grey"}>{c.kind}</Badge>
                    </span>
                    <span className="text-slate-800">{c.description}</span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="text-sm text-slate-500">No changelog entries.</p>
            )}
          </Card>
        </li>
      ))}
    </ol>
  );
}

export function ChartsView() {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const can = usePermissions();
  const charts = useQuery(trpc.charts.list.queryOptions());
  const selected = params.get("chart") ?? charts.data?.[0]?.name ?? null;
  const chart = charts.data?.find((c) => c.name === selected);
  return (
    <>
      <PageHeader title="Charts" description="Published chart versions and their changelogs (Artifact Hub annotations)." />
      {charts.error ? <ErrorMessage error={charts.error} /> : null}
      {charts.isPending ? <Loading /> : null}
      {charts.data && !charts.data.length ? <Empty>No charts published yet.</Empty> : null}
      <div className="grid gap-6 md:grid-cols-[16rem_1fr]">
        <nav aria-label="Charts">
          <ul className="space-y-1">
            {charts.data?.map((c) => (
              <li key={c.name}>
                <button
                  type="button"
                  onClick={() => router.replace(`${pathname}?chart=${encodeURIComponent(c.name)}`)}
                  aria-current={c.name === selected ? "true" : undefined}
                  className={cx(
                    "flex w-full items-center justify-between rounded-md px-3 py-2 text-left text-sm focus-visible:outline-2 focus-visible:outline-sky-600",
                    c.name === selected ? "bg-sky-50 font-semibold text-sky-900 ring-1 ring-sky-200" : "text-slate-800 hover:bg-slate-100",
                  )}
                >
                  <span className="truncate">{c.name}</span>
                  <span className="ml-2 font-mono text-xs text-slate-600">{c.latestVersion}</span>
                </button>
              </li>
            ))}
          </ul>
        </nav>
        <div>{chart ? <ChartVersions chartName={chart.name} latest={chart.latestVersion} /> : selected && charts.data ? <Empty>No chart named {selected}.</Empty> : null}</div>
      </div>
      {can.canPublishCharts ? (
        <div className="mt-8">
          <PublishChart defaultName={params.get("chart") ?? undefined} />
        </div>
      ) : null}
    </>
  );
}
