"use client";

/**
 * Releases per deployed chart version as horizontal SVG bars. Labels and counts are real text
 * beside each bar (readable at any width, read out by screen readers); the bars themselves are
 * decoration, and nothing depends on colour alone.
 */
export function VersionChart({ chartName, distribution, latest }: { chartName: string; distribution: Record<string, number>; latest?: string }) {
  const entries = Object.entries(distribution);
  const total = entries.reduce((s, [, n]) => s + n, 0);
  if (!entries.length) return <p className="py-4 text-sm text-slate-500">No releases run this chart.</p>;
  const max = Math.max(...entries.map(([, n]) => n));
  const titleId = `chart-${chartName}-title`;
  return (
    <figure data-testid={`distribution-${chartName}`} aria-labelledby={titleId}>
      <figcaption id={titleId} className="sr-only">
        Releases of {chartName} per deployed version
      </figcaption>
      <ul className="space-y-1.5">
        {entries.map(([version, count]) => {
          const isLatest = version === latest;
          return (
            <li key={version} data-version={version} data-count={count} className="grid grid-cols-[5.5rem_1fr_5.5rem] items-center gap-2 text-sm">
              <span className="truncate text-right font-mono text-slate-800" title={version}>
                {version}
              </span>
              <svg aria-hidden viewBox="0 0 100 10" preserveAspectRatio="none" className="h-4 w-full">
                <rect x="0" y="0" width="100" height="10" rx="1" className="fill-slate-100" />
                <rect x="0" y="0" width={Math.max(1, (count / max) * 100)} height="10" rx="1" className={isLatest ? "fill-sky-600" : "fill-slate-400"} />
              </svg>
              <span className="text-slate-900">
                <span className="sr-only">{version}: </span>
                <strong>{count}</strong> <span className="text-xs text-slate-500">({Math.round((count / total) * 100)}%)</span>
              </span>
            </li>
          );
        })}
      </ul>
      <p className="mt-2 flex flex-wrap items-center gap-3 text-xs text-slate-600">
        <span className="inline-flex items-center gap-1">
          <span className="inline-block size-2.5 rounded-sm bg-sky-600" aria-hidden /> newest stable ({latest ?? "—"})
        </span>
        <span className="inline-flex items-center gap-1">
          <span className="inline-block size-2.5 rounded-sm bg-slate-400" aria-hidden /> older
        </span>
        <span className="ml-auto">{total === 1 ? "1 release" : `${total} releases`}</span>
      </p>
    </figure>
  );
}
