/**
 * `tsx --tsconfig tsconfig.scripts.json bench/rss-probe.ts --releases N [-- node args]`:
 * which request of `npm run bench` makes the app's peak RSS. Runs the bench's phases one by
 * one against a seeded fleet (`npm run bench -- --releases N` seeds it) and, per phase,
 * prints the kernel's high-water mark of the server process (reset before each phase
 * through /proc/<pid>/clear_refs) and the largest V8 heap and external memory the process
 * itself saw (bench/lib/memory-log.mjs), with the time spent in GC. `--live-set` (with
 * `-- --expose-gc`) also collects fully after each phase and prints what stayed live. Node
 * args after `--` go on the server's command line and so override the heap limit in
 * NODE_OPTIONS (e.g. `-- --max-old-space-size=4096` for what Node picks by itself on a machine with 16 GB or more).
 * PostgreSQL only (BENCH_DATABASE_URL).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { projectRoot } from "../scripts/lib/build";
import { benchChartDefaults, DEFAULT_FLEET } from "./lib/seed-fleet";
import { fetchWhole, measureLatency, measureThroughput, type Latency, type Throughput } from "./lib/load";
import { startApp } from "./lib/processes";

const { values: flags, positionals: nodeArgs } = parseArgs({
  options: {
    releases: { type: "string", default: String(DEFAULT_FLEET.releases) },
    seconds: { type: "string", default: "10" },
    samples: { type: "string", default: "2000" },
    "batch-seconds": { type: "string", default: "30" },
    only: { type: "string" },
    "live-set": { type: "boolean", default: false },
  },
  allowPositionals: true,
});
const pgUrl = process.env.BENCH_DATABASE_URL;
if (!pgUrl) throw new Error("BENCH_DATABASE_URL is needed");
const dbUrl = new URL(pgUrl);
dbUrl.pathname = `/helmdeck_bench_${flags.releases}`;
const token = `hd_bench_${createHash("sha256").update("helmdeck bench").digest("hex").slice(0, 32)}`;
const auth = { Authorization: `Bearer ${token}` };
const CHART = DEFAULT_FLEET.chart;
const TARGET = DEFAULT_FLEET.versions.at(-1)!;
const workDir = path.join(projectRoot, ".data", "bench");
mkdirSync(workDir, { recursive: true });
const memoryLog = path.join(workDir, "memory-probe.log");
rmSync(memoryLog, { force: true });

const kb = (pid: number, field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
const mb = (k: number) => `${(k / 1024).toFixed(0)} MB`;

const app = await startApp(
  { DATABASE_URL: dbUrl.toString(), HELMDECK_BOOTSTRAP_TOKEN: token, MEMORY_LOG: memoryLog },
  path.join(workDir, "server-probe.log"),
  ["--import", path.join(import.meta.dirname, "lib", "memory-log.mjs"), ...nodeArgs],
);
const children = readFileSync(`/proc/${app.pid}/task/${app.pid}/children`, "utf8").trim();
console.log(`app pid ${app.pid}, children: ${children || "none"}, node args: ${nodeArgs.join(" ") || "none"}`);

async function api<T>(method: string, pathname: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${app.url}/api/v1${pathname}`, {
    method,
    headers: { ...auth, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

async function batch(concurrency: number | null): Promise<string> {
  const chart = "bench-batch";
  const versions = await api<Array<{ version: string }>>("GET", `/helm/charts/${chart}/versions`);
  const newest = versions.body[0]!.version.split(".").map(Number);
  const target = `${newest[0]}.${newest[1]! + 1}.0`;
  await api("POST", "/helm/charts", { name: chart, version: target, appVersion: target, defaultValues: benchChartDefaults(chart, target) });
  const created = await api<{ id: string }>("POST", `/helm/releases/chart/${chart}/batch-upgrade?targetVersion=${target}&async=true${concurrency ? `&concurrency=${concurrency}` : ""}`);
  const started = Date.now();
  type Polled = { counts: { upgraded: number; failed: number; total: number }; finishedAt: string | null };
  let polled: Polled;
  for (;;) {
    await new Promise((r) => setTimeout(r, 1000));
    polled = (await api<Polled>("GET", `/helm/batches/${created.body.id}`)).body;
    if (polled.finishedAt || Date.now() - started > Number(flags["batch-seconds"]) * 1000) break;
  }
  if (!polled.finishedAt) await api("POST", `/helm/batches/${created.body.id}/cancel`);
  return `${polled.counts.upgraded + polled.counts.failed} of ${polled.counts.total}`;
}

const versionsUrl = `${app.url}/api/v1/helm/releases/chart/${CHART}/versions`;
const needsUrl = `${app.url}/api/v1/helm/releases/chart/${CHART}/needs-upgrade?targetVersion=${TARGET}`;
const samples = Number(flags.samples);
const seconds = Number(flags.seconds);
const latency = (l: Latency) => `p50 ${l.p50.toFixed(2)} p99 ${l.p99.toFixed(2)} ms`;
const throughput = (t: Throughput) => `${t.rps.toFixed(0)} req/s, p99 ${t.p99.toFixed(1)} ms`;
const phases: Array<[string, () => Promise<unknown>]> = [
  ["warm-up", async () => {
    for (const u of [`${app.url}/api/livez`, versionsUrl, `${needsUrl}&limit=100`]) await measureLatency("warm-up", u, auth, 300);
  }],
  ["latency livez", () => measureLatency("l", `${app.url}/api/livez`, {}, samples).then(latency)],
  ["latency versions", () => measureLatency("l", versionsUrl, auth, samples).then(latency)],
  ["latency needs-upgrade 100", () => measureLatency("l", `${needsUrl}&limit=100`, auth, samples).then(latency)],
  ["8 conn livez", () => measureThroughput("t", `${app.url}/api/livez`, {}, 8, seconds).then(throughput)],
  ["8 conn versions", () => measureThroughput("t", versionsUrl, auth, 8, seconds).then(throughput)],
  ["8 conn needs-upgrade 100", () => measureThroughput("t", `${needsUrl}&limit=100`, auth, 8, seconds).then(throughput)],
  ["needs-upgrade all #1", () => fetchWhole(needsUrl, auth).then((t) => `${(t.length / 2 ** 20).toFixed(1)} MB`)],
  ["needs-upgrade all #2", () => fetchWhole(needsUrl, auth).then((t) => `${(t.length / 2 ** 20).toFixed(1)} MB`)],
  ["needs-upgrade all #3", () => fetchWhole(needsUrl, auth).then((t) => `${(t.length / 2 ** 20).toFixed(1)} MB`)],
  ["batch sequential", () => batch(null)],
  ["batch concurrency=16", () => batch(16)],
];

function memoryPeaksSince(since: number) {
  if (!existsSync(memoryLog)) return "";
  let rss = 0, heapTotal = 0, heapUsed = 0, external = 0, gcFirst: number | undefined, gcLast = 0, majorFirst: number | undefined, majorLast = 0;
  for (const line of readFileSync(memoryLog, "utf8").split("\n")) {
    const [t, r, ht, hu, ex, , gc, major] = line.split(" ").map(Number);
    if (!t || t < since) continue; // NaN for the "gc" lines
    gcFirst ??= gc!;
    gcLast = gc!;
    majorFirst ??= major!;
    majorLast = major!;
    rss = Math.max(rss, r!); heapTotal = Math.max(heapTotal, ht!); heapUsed = Math.max(heapUsed, hu!); external = Math.max(external, ex!);
  }
  const m = (b: number) => `${(b / 2 ** 20).toFixed(0)}`;
  return `max rss ${m(rss)} heapTotal ${m(heapTotal)} heapUsed ${m(heapUsed)} external ${m(external)} MB, gc ${(gcLast - (gcFirst ?? 0)).toFixed(0)} ms, ${majorLast - (majorFirst ?? 0)} major`;
}

try {
  console.log(`start: rss ${mb(kb(app.pid, "VmRSS"))}, hwm ${mb(kb(app.pid, "VmHWM"))}`);
  for (const [name, run] of phases) {
    if (flags.only && !flags.only.split(",").some((o) => name.includes(o)) && name !== "warm-up") continue;
    writeFileSync(`/proc/${app.pid}/clear_refs`, "5");
    const since = Date.now();
    const result = await run();
    const note = typeof result === "string" ? ` (${result})` : "";
    let live = "";
    if (flags["live-set"]) {
      process.kill(app.pid, "SIGUSR2");
      await new Promise((r) => setTimeout(r, 1000));
      const gcLine = readFileSync(memoryLog, "utf8").split("\n").filter((l) => l.startsWith("gc ")).at(-1)!.split(" ").map(Number);
      live = ` | after full gc: rss ${(gcLine[1]! / 2 ** 20).toFixed(0)} heapUsed ${(gcLine[3]! / 2 ** 20).toFixed(0)} MB`;
    }
    console.log(`${name.padEnd(26)} hwm ${mb(kb(app.pid, "VmHWM")).padStart(7)}  after ${mb(kb(app.pid, "VmRSS")).padStart(7)}  ${memoryPeaksSince(since)}${note}${live}`);
  }
} finally {
  await app.stop();
}
