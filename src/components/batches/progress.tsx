import type { BatchView } from "@/contracts/batches";

/** Upgraded (green), failed (red) and skipped (grey) as one bar, with the numbers in words. */
export function ProgressBar({ counts, compact = false }: { counts: BatchView["counts"]; compact?: boolean }) {
  const total = Math.max(counts.total, 1);
  const done = counts.upgraded + counts.failed + counts.skipped;
  const pct = (n: number) => `${(n / total) * 100}%`;
  const label = `${done} of ${counts.total} done: ${counts.upgraded} upgraded, ${counts.failed} failed, ${counts.skipped} skipped, ${counts.pending} pending`;
  return (
    <div>
      <div role="progressbar" aria-label="Batch progress" aria-valuemin={0} aria-valuemax={counts.total} aria-valuenow={done} aria-valuetext={label} className={`flex w-full overflow-hidden rounded-full bg-slate-200 ${compact ? "h-2" : "h-3"}`}>
        <div className="bg-emerald-600 transition-all" style={{ width: pct(counts.upgraded) }} />
        <div className="bg-red-600 transition-all" style={{ width: pct(counts.failed) }} />
        <div className="bg-slate-400 transition-all" style={{ width: pct(counts.skipped) }} />
      </div>
      <p className={`mt-1 text-slate-600 ${compact ? "text-[11px]" : "text-xs"}`}>{compact ? `${done}/${counts.total}` : label}</p>
    </div>
  );
}
