import type { BatchCounts } from "@/contracts/batches";

/**
 * The server's counts as the page shows them: the server's `skipped` includes the cancelled
 * items (so that its buckets sum to the total); here cancelled rows count as cancelled only.
 */
export function shownCounts(counts: BatchCounts) {
  return { total: counts.total, pending: counts.pending, upgraded: counts.upgraded, failed: counts.failed, skipped: counts.skipped - counts.cancelled, cancelled: counts.cancelled };
}
export const COUNT_NAMES = ["total", "pending", "upgraded", "failed", "skipped", "cancelled"] as const;

/** Upgraded (green), failed (red), skipped (grey) and cancelled (hatched grey) as one bar, with the numbers in words. */
export function ProgressBar({ counts, compact = false }: { counts: BatchCounts; compact?: boolean }) {
  const c = shownCounts(counts);
  const total = Math.max(c.total, 1);
  const done = c.upgraded + c.failed + c.skipped + c.cancelled;
  const pct = (n: number) => `${(n / total) * 100}%`;
  const label = `${done} of ${c.total} done: ${c.upgraded} upgraded, ${c.failed} failed, ${c.skipped} skipped, ${c.cancelled ? `${c.cancelled} cancelled, ` : ""}${c.pending} pending`;
  return (
    <div>
      <div role="progressbar" aria-label="Batch progress" aria-valuemin={0} aria-valuemax={c.total} aria-valuenow={done} aria-valuetext={label} className={`flex w-full overflow-hidden rounded-full bg-slate-200 ${compact ? "h-2" : "h-3"}`}>
        <div className="bg-emerald-600 transition-all" style={{ width: pct(c.upgraded) }} />
        <div className="bg-red-600 transition-all" style={{ width: pct(c.failed) }} />
        <div className="bg-slate-400 transition-all" style={{ width: pct(c.skipped) }} />
        <div className="bg-slate-500 transition-all" style={{ width: pct(c.cancelled) }} />
      </div>
      <p className={`mt-1 text-slate-600 ${compact ? "text-[11px]" : "text-xs"}`}>{compact ? `${done}/${c.total}` : label}</p>
    </div>
  );
}
