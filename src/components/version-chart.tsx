"use client";

/**
 * Releases per deployed chart version as horizontal SVG bars. The figure is labelled for
 * screen readers and every bar carries its own text, so nothing depends on colour alone.
 */
export function VersionChart({ chartName, distribution, latest }: { chartName: string; distribution: Record<string, number>; latest?: string }) {
  const entries = Object.entries(distribution);
  const total = entries.reduce((s, [, n]) => s + n, 0);
  if (!entries.length) return <p className="py-4 text-sm text-slate-500">No releases run this chart.</p>;
  const max = Math.max(...entries.map(([, n]) => n));
  const rowH = 28;
  const labelW = 120;
  const countW = 90;
  const width = 560;
  const barMax = width - labelW - countW;
  const height = entries.length * rowH;
  const titleId = `chart-${chartName}-title`;
  const summary = entries.map(([v, n]) => `${v}: ${n}`).join(", ");
  return (
    <figure data-testid={`distribution-${chartName}`}>
      <svg role="img" aria-labelledby={titleId} viewBox={`0 0 ${width} ${height}`} className="h-auto w-full" preserveAspectRatio="xMinYMin meet">
        <title id={titleId}>{`Releases of ${chartName} per deployed version: ${summary}`}</title>
        {entries.map(([version, count], i) => {
          const w = Math.max(2, (count / max) * barMax);
          const y = i * rowH;
          const isLatest = version === latest;
          return (
            <g key={version} data-version={version} data-count={count}>
              <text x={labelW - 10} y={y + rowH / 2} dominantBaseline="middle" textAnchor="end" className="fill-slate-800 font-mono text-[13px]">
                {version}
              </text>
              <rect x={labelW} y={y + 5} width={w} height={rowH - 10} rx={3} className={isLatest ? "fill-sky-600" : "fill-slate-400"} />
              <text x={labelW + w + 8} y={y + rowH / 2} dominantBaseline="middle" className="fill-slate-800 text-[13px] font-semibold">
                {count} <tspan className="fill-slate-500 font-normal">({Math.round((count / total) * 100)}%)</tspan>
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="mt-1 flex items-center gap-3 text-xs text-slate-600">
        <span className="inline-flex items-center gap-1">
          <span className="inline-block size-2.5 rounded-sm bg-sky-600" aria-hidden /> newest published ({latest ?? "—"})
        </span>
        <span className="inline-flex items-center gap-1">
          <span className="inline-block size-2.5 rounded-sm bg-slate-400" aria-hidden /> older
        </span>
        <span className="ml-auto">{total === 1 ? "1 release" : `${total} releases`}</span>
      </figcaption>
    </figure>
  );
}
