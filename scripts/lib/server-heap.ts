/**
 * The V8 heap limit every way of running the server starts it with (`npm start`, the
 * benchmark, the HTTP tests; the container image sets the same in its Dockerfile).
 *
 * Why: the server's live heap is about 80 MB, but with Node's default limit (a quarter of
 * physical memory, 4 GB here) V8 lets the old generation grow to up to 4× the live set
 * before collecting it, so garbage from ordinary requests piled up to a 390 MB heap and
 * 460 MB RSS in `npm run bench`. A limit also lowers V8's growing factor (to about 1.6 at
 * 1 GB), which keeps the same bench under 240 MB RSS and spends no more time in GC. 512 MB
 * saved only another 15 MB; 1 GB leaves twelve times the live set as headroom before the
 * process would die of it. Nothing that answers a request holds a fleet in memory (SPEC
 * section 7), and PGlite's memory is WebAssembly memory, outside this limit.
 */
export const SERVER_HEAP_OPTION = "--max-old-space-size=1024";

/** NODE_OPTIONS for the server: ours first, so that an operator's own limit, later, wins. */
export function serverNodeOptions(existing: string | undefined): string {
  return [SERVER_HEAP_OPTION, existing].filter(Boolean).join(" ");
}
