// Preloaded into the app by bench/rss-probe.ts (--import): appends process.memoryUsage()
// every 100 ms to MEMORY_LOG, so that a peak of RSS can be split into V8 heap, external
// (Buffers, ArrayBuffers) and the rest (code, native, allocator slack).
import { appendFileSync } from "node:fs";
import { constants, PerformanceObserver } from "node:perf_hooks";

const file = process.env.MEMORY_LOG;
if (file) {
  // Time spent in garbage collection so far: what a smaller heap costs in CPU.
  let gcMs = 0;
  let majorGcs = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcMs += entry.duration;
      if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majorGcs += 1;
    }
  }).observe({ entryTypes: ["gc"] });
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    appendFileSync(file, `${Date.now()} ${m.rss} ${m.heapTotal} ${m.heapUsed} ${m.external} ${m.arrayBuffers} ${gcMs.toFixed(1)} ${majorGcs}\n`);
  }, 100);
  timer.unref();
  // With --expose-gc, SIGUSR2 collects fully and logs what stays live: the live set, as
  // opposed to garbage the heap has not collected yet.
  if (typeof globalThis.gc === "function") {
    process.on("SIGUSR2", () => {
      globalThis.gc();
      const m = process.memoryUsage();
      appendFileSync(file, `gc ${m.rss} ${m.heapTotal} ${m.heapUsed} ${m.external} ${m.arrayBuffers}\n`);
    });
  }
}
