/**
 * `npm run bench`: Helmdeck at fleet scale, over HTTP, against a real `next start`.
 *
 * For each database (the embedded PGlite, and PostgreSQL when BENCH_DATABASE_URL is set) it
 * seeds the reference fleet with `npm run bench:seed` (plus a smaller chart for batches),
 * starts the built app on it, and measures, side by side in the same run:
 *   - a bare node:http server answering the versions map's bytes (the machine's floor),
 *   - the app's own trivial route GET /api/livez (the framework's floor),
 *   - the versions map, needs-upgrade (first page, and all of it), batches, server memory,
 *   - whether authenticating the read requests wrote to the token's row.
 * The machine is shared and noisy, so the figures that matter are ratios to those baselines.
 * Results are appended to docs/benchmarks.md with the machine and the date.
 */
import { createHash } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { spawnSync } from "node:child_process";
import { parseArgs } from "node:util";
import { buildIfNeeded, projectRoot } from "../scripts/lib/build";
import { benchChartDefaults, DEFAULT_FLEET } from "./lib/seed-fleet";
import { fetchWhole, measureLatency, measureThroughput, type Latency, type Throughput } from "./lib/load";
import { startApp, startBareServer, watchMemory } from "./lib/processes";

const { values: flags } = parseArgs({
  options: {
    releases: { type: "string", default: String(DEFAULT_FLEET.releases) },
    tenants: { type: "string", default: String(DEFAULT_FLEET.tenants) },
    "batch-releases": { type: "string", default: "10000" },
    "skip-seed": { type: "boolean", default: false },
    "skip-batches": { type: "boolean", default: false },
    "postgres-only": { type: "boolean", default: false },
    "pglite-only": { type: "boolean", default: false },
    seconds: { type: "string", default: "10" },
    samples: { type: "string", default: "2000" },
    "batch-seconds": { type: "string", default: "30" },
    "no-write": { type: "boolean", default: false },
  },
  strict: true,
});

const releases = Number(flags.releases);
const tenants = Number(flags.tenants);
const batchReleases = Number(flags["batch-releases"]);
const seconds = Number(flags.seconds);
const samples = Number(flags.samples);
const batchSeconds = Number(flags["batch-seconds"]);
const CHART = DEFAULT_FLEET.chart;
const BATCH_CHART = "bench-batch";
const TARGET = DEFAULT_FLEET.versions.at(-1)!;
const token = `hd_bench_${createHash("sha256").update("helmdeck bench").digest("hex").slice(0, 32)}`;
const workDir = path.join(projectRoot, ".data", "bench");
mkdirSync(workDir, { recursive: true });

for (const [name, value] of Object.entries({ releases, tenants, "batch-releases": batchReleases, seconds, samples, "batch-seconds": batchSeconds })) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
}
const pgUrl = process.env.BENCH_DATABASE_URL;
if (flags["postgres-only"] && !pgUrl) throw new Error("--postgres-only needs BENCH_DATABASE_URL");
const kinds = [...(flags["postgres-only"] ? [] : ["pglite" as const]), ...(pgUrl && !flags["pglite-only"] ? ["postgres" as const] : [])];

type Kind = (typeof kinds)[number];

interface Results {
  kind: Kind;
  seedSeconds: number | null;
  latency: { bare: Latency; livez: Latency; versions: Latency; needsUpgrade: Latency };
  throughput: { bare: Throughput; livez: Throughput; versions: Throughput; needsUpgrade: Throughput };
  needsUpgradeAll: { items: number; megabytes: number; seconds: number[]; failures: string[] };
  batches: BatchRun[];
  rss: { idle: number; peak: number };
  tokenWrites: TokenUses & { readSeconds: number };
}

interface BatchRun {
  label: string;
  concurrency: number | null;
  supported: boolean;
  settled: number;
  total: number;
  seconds: number;
  finished: boolean;
  note?: string;
}

const log = (line: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

// ---------------------------------------------------------------- database and seed

function databaseFor(kind: Kind): { env: Record<string, string>; url?: string; fresh: () => Promise<void> } {
  if (kind === "pglite") {
    const dir = path.join(workDir, `pglite-${releases}`);
    return {
      env: { HELMDECK_DATA_DIR: dir, DATABASE_URL: "" },
      fresh: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const admin = new URL(pgUrl!);
  const url = new URL(pgUrl!);
  url.pathname = `/helmdeck_bench_${releases}`;
  return {
    env: { DATABASE_URL: url.toString() },
    url: url.toString(),
    fresh: async () => {
      const { default: postgres } = await import("postgres");
      const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
      await sql.unsafe(`drop database if exists "helmdeck_bench_${releases}" with (force)`);
      await sql.unsafe(`create database "helmdeck_bench_${releases}"`);
      await sql.end();
    },
  };
}

function runSeed(env: Record<string, string>, args: string[]): void {
  const result = spawnSync(process.execPath, [path.join(projectRoot, "node_modules", "tsx", "dist", "cli.mjs"), "--tsconfig", "tsconfig.scripts.json", "bench/seed.ts", ...args], {
    cwd: projectRoot,
    env: { ...process.env, ...env },
    stdio: "inherit",
  });
  if (result.status !== 0) throw new Error(`bench:seed ${args.join(" ")} failed`);
}

// ---------------------------------------------------------------- HTTP helpers

async function api<T = unknown>(base: string, method: string, pathname: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}/api/v1${pathname}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
    // A request the app cannot answer within a minute is a finding to report, not a reason to hang.
    signal: AbortSignal.timeout(60_000),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- the token's row, before and after reads

interface TokenUses {
  /** last_used_at as read once before the reads and at every poll, each value once. */
  stamps: string[];
  method: string;
}

/**
 * Polls the bench token's last_used_at every second while the reads run. A write on every
 * request would change it at nearly every poll; the rule (at most once a minute) allows one
 * new stamp per minute of reads, each at least 60 s after the one before.
 */
async function watchTokenUses(kind: Kind, base: string, dbUrl?: string): Promise<{ stop(): Promise<TokenUses> }> {
  let read: () => Promise<string | null>;
  let close = async () => {};
  let method: string;
  if (kind === "postgres" && dbUrl) {
    const { default: postgres } = await import("postgres");
    const sql = postgres(dbUrl, { max: 1, onnotice: () => {} });
    const hash = createHash("sha256").update(token, "utf8").digest("hex");
    read = async () => ((await sql`select last_used_at from api_tokens where token_hash = ${hash}`)[0]?.last_used_at as Date | undefined)?.toISOString() ?? null;
    close = async () => void (await sql.end());
    method = "the token row's last_used_at, read every second";
  } else {
    read = async () => (await api<Array<{ name: string; lastUsedAt: string | null }>>(base, "GET", "/tokens")).body.find((t) => t.name === "bootstrap")?.lastUsedAt ?? null;
    method = "the token's lastUsedAt (GET /tokens), read every second";
  }
  const stamps: string[] = [];
  const poll = async () => {
    const stamp = await read();
    if (stamp && stamp !== stamps.at(-1)) stamps.push(stamp);
  };
  await poll();
  let polling = true;
  const loop = (async () => {
    while (polling) {
      await sleep(1000);
      await poll();
    }
  })();
  return {
    async stop() {
      polling = false;
      await loop;
      await poll();
      await close();
      return { stamps, method };
    },
  };
}

/** New stamps after the first, and the shortest time between two consecutive stamps. */
function tokenWriteSummary(uses: TokenUses): { writes: number; shortestGapSeconds: number | null } {
  const times = uses.stamps.map((s) => Date.parse(s));
  const gaps = times.slice(1).map((t, i) => (t - times[i]!) / 1000);
  return { writes: gaps.length, shortestGapSeconds: gaps.length ? Math.min(...gaps) : null };
}

// ---------------------------------------------------------------- batches

async function measureBatch(base: string, label: string, concurrency: number | null): Promise<BatchRun> {
  const versions = await api<Array<{ version: string }>>(base, "GET", `/helm/charts/${BATCH_CHART}/versions`);
  const newest = versions.body[0]!.version.split(".").map(Number);
  const target = `${newest[0]}.${newest[1]! + 1}.0`;
  const published = await api(base, "POST", "/helm/charts", { name: BATCH_CHART, version: target, appVersion: target, defaultValues: benchChartDefaults(BATCH_CHART, target) });
  if (published.status !== 201) throw new Error(`publishing ${BATCH_CHART} ${target}: ${published.status} ${JSON.stringify(published.body)}`);
  const query = `targetVersion=${target}&async=true${concurrency ? `&concurrency=${concurrency}` : ""}`;
  const started = performance.now();
  const created = await api<{ id: string; options?: Record<string, unknown>; concurrency?: number; counts: { total: number } }>(base, "POST", `/helm/releases/chart/${BATCH_CHART}/batch-upgrade?${query}`);
  if (created.status !== 202) {
    return { label, concurrency, supported: false, settled: 0, total: 0, seconds: 0, finished: false, note: `refused: ${created.status} ${JSON.stringify(created.body).slice(0, 200)}` };
  }
  const batch = created.body;
  const supported = concurrency === null || batch.concurrency === concurrency || batch.options?.concurrency === concurrency;
  if (!supported) {
    await api(base, "POST", `/helm/batches/${batch.id}/cancel`);
    return { label, concurrency, supported, settled: 0, total: batch.counts.total, seconds: 0, finished: false, note: "this build does not know `concurrency` (the batch would run sequentially)" };
  }
  type Polled = { status: string; counts: { total: number; pending: number; upgraded: number; failed: number; skipped: number }; startedAt: string | null; finishedAt: string | null };
  let polled: Polled;
  for (;;) {
    await sleep(1000);
    polled = (await api<Polled>(base, "GET", `/helm/batches/${batch.id}`)).body;
    if (polled.finishedAt || (performance.now() - started) / 1000 > batchSeconds) break;
  }
  const settled = polled.counts.upgraded + polled.counts.failed;
  const finished = polled.finishedAt !== null;
  // Finished: the server's own start and end; else the wall time since the request.
  const elapsed = finished && polled.startedAt ? (Date.parse(polled.finishedAt!) - Date.parse(polled.startedAt)) / 1000 : (performance.now() - started) / 1000;
  if (!finished) await api(base, "POST", `/helm/batches/${batch.id}/cancel`);
  return {
    label,
    concurrency,
    supported,
    settled,
    total: polled.counts.total,
    seconds: elapsed,
    finished,
    note: polled.counts.failed > 0 ? `${polled.counts.failed} failed` : undefined,
  };
}

// ---------------------------------------------------------------- one database

async function benchOne(kind: Kind): Promise<Results> {
  const database = databaseFor(kind);
  let seedSeconds: number | null = null;
  if (!flags["skip-seed"]) {
    log(`${kind}: seeding ${releases} releases over ${tenants} tenants, and ${batchReleases} of ${BATCH_CHART} for batches`);
    await database.fresh();
    const start = performance.now();
    runSeed(database.env, ["--releases", String(releases), "--tenants", String(tenants), "--chart", CHART, "--versions", DEFAULT_FLEET.versions.join(",")]);
    seedSeconds = (performance.now() - start) / 1000;
    runSeed(database.env, ["--releases", String(batchReleases), "--tenants", String(tenants), "--chart", BATCH_CHART, "--versions", "1.0.0"]);
  }

  log(`${kind}: starting the app`);
  const app = await startApp({ ...database.env, HELMDECK_BOOTSTRAP_TOKEN: token }, path.join(workDir, `server-${kind}.log`));
  const memory = watchMemory(app.pid);
  const auth = { Authorization: `Bearer ${token}` };
  try {
    const versionsUrl = `${app.url}/api/v1/helm/releases/chart/${CHART}/versions`;
    const needsUpgradeUrl = `${app.url}/api/v1/helm/releases/chart/${CHART}/needs-upgrade?targetVersion=${TARGET}&limit=100`;
    const versionsBody = await (await fetch(versionsUrl, { headers: auth })).text();
    log(`${kind}: versions map ${versionsBody}`);
    const bare = await startBareServer(versionsBody);
    try {
      const targets = { bare: { url: bare.url, headers: {} }, livez: { url: `${app.url}/api/livez`, headers: {} }, versions: { url: versionsUrl, headers: auth }, needsUpgrade: { url: needsUpgradeUrl, headers: auth } };
      // Warm-up: JIT, query plans, the token cache, and the token's last-use stamp.
      for (const [name, t] of Object.entries(targets)) await measureLatency(`warm-up ${name}`, t.url, t.headers, 300);
      const idle = memory.current();
      const tokenUses = await watchTokenUses(kind, app.url, database.url);
      const readStart = performance.now();

      const latency = {} as Results["latency"];
      for (const [name, t] of Object.entries(targets) as [keyof typeof targets, (typeof targets)["bare"]][]) {
        latency[name] = await measureLatency(name, t.url, t.headers, samples);
        log(`${kind}: ${name} single client p50 ${latency[name].p50.toFixed(2)} ms, p99 ${latency[name].p99.toFixed(2)} ms`);
      }
      const throughput = {} as Results["throughput"];
      for (const [name, t] of Object.entries(targets) as [keyof typeof targets, (typeof targets)["bare"]][]) {
        throughput[name] = await measureThroughput(name, t.url, t.headers, 8, seconds);
        log(`${kind}: ${name} 8 connections ${throughput[name].rps.toFixed(0)} req/s`);
      }

      const all: Results["needsUpgradeAll"] = { items: 0, megabytes: 0, seconds: [], failures: [] };
      for (let i = 0; i < 3; i++) {
        const start = performance.now();
        try {
          const text = await fetchWhole(`${app.url}/api/v1/helm/releases/chart/${CHART}/needs-upgrade?targetVersion=${TARGET}`, auth);
          all.seconds.push((performance.now() - start) / 1000);
          all.items = (JSON.parse(text) as unknown[]).length;
          all.megabytes = Buffer.byteLength(text) / 2 ** 20;
        } catch (e) {
          all.failures.push(`after ${((performance.now() - start) / 1000).toFixed(1)} s: ${e instanceof Error ? `${e.message} (${String(e.cause)})` : String(e)}`);
        }
      }
      log(`${kind}: needs-upgrade without limit: ${all.items} releases, ${all.megabytes.toFixed(1)} MB in ${all.seconds.map((s) => s.toFixed(2)).join(", ")} s${all.failures.length ? `; failed ${all.failures.join("; ")}` : ""}`);
      const readSeconds = (performance.now() - readStart) / 1000;
      const tokenWrites = { ...(await tokenUses.stop()), readSeconds };

      const batches: BatchRun[] = [];
      const batchRuns = flags["skip-batches"] ? [] : ([["sequential", null], ["concurrency=16", 16]] as const);
      for (const [label, concurrency] of batchRuns) {
        const run = await measureBatch(app.url, label, concurrency).catch(
          (e: unknown): BatchRun => ({ label, concurrency, supported: false, settled: 0, total: 0, seconds: 0, finished: false, note: `the run failed: ${e instanceof Error ? e.message : String(e)}` }),
        );
        batches.push(run);
        log(`${kind}: batch ${label}: ${run.supported ? `${run.settled} of ${run.total} in ${run.seconds.toFixed(1)} s = ${(run.settled / run.seconds).toFixed(0)}/s` : "skipped"}${run.note ? ` (${run.note})` : ""}`);
      }
      return {
        kind,
        seedSeconds,
        latency,
        throughput,
        needsUpgradeAll: all,
        batches,
        rss: { idle, peak: memory.peak() },
        tokenWrites,
      };
    } finally {
      await bare.stop();
    }
  } finally {
    memory.stop();
    await app.stop();
  }
}

// ---------------------------------------------------------------- report

const ms = (n: number) => `${n < 1 ? n.toFixed(2) : n.toFixed(1)} ms`;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const pct = (n: number) => `${(n * 100).toFixed(0)}%`;
const verdict = (ok: boolean) => (ok ? "met" : "**not met**");
/** SPEC section 7's targets are PostgreSQL's; PGlite's figures are shown against them for reference only. */
const verdictFor = (kind: Kind) => (kind === "postgres" ? verdict : (ok: boolean) => (ok ? "would be met (target is for PostgreSQL)" : "would not be met (target is for PostgreSQL)"));

function section(r: Results): string {
  const judge = verdictFor(r.kind);
  const { latency: l, throughput: t } = r;
  const versionsRatio = t.versions.rps / t.livez.rps;
  const tokenWrites = tokenWriteSummary(r.tokenWrites);
  const tokenRuleKept = tokenWrites.writes <= Math.ceil(r.tokenWrites.readSeconds / 60) && (tokenWrites.shortestGapSeconds ?? 60) >= 60;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const lines = [
    `### ${r.kind === "postgres" ? "PostgreSQL (postgres-js, localhost)" : "PGlite (embedded, file-backed)"}`,
    "",
    r.seedSeconds === null ? "Fleet reused (--skip-seed)." : `Seeded with \`npm run bench:seed\` in ${r.seedSeconds.toFixed(1)} s.`,
    "",
    "| | bare node:http (same bytes) | GET /api/livez | versions map | needs-upgrade, first 100 |",
    "| --- | ---: | ---: | ---: | ---: |",
    `| single client p50 | ${ms(l.bare.p50)} | ${ms(l.livez.p50)} | ${ms(l.versions.p50)} | ${ms(l.needsUpgrade.p50)} |`,
    `| single client p99 | ${ms(l.bare.p99)} | ${ms(l.livez.p99)} | ${ms(l.versions.p99)} | ${ms(l.needsUpgrade.p99)} |`,
    `| 8 connections, req/s | ${t.bare.rps.toFixed(0)} | ${t.livez.rps.toFixed(0)} | ${t.versions.rps.toFixed(0)} | ${t.needsUpgrade.rps.toFixed(0)} |`,
    `| 8 connections, p99 | ${ms(t.bare.p99)} | ${ms(t.livez.p99)} | ${ms(t.versions.p99)} | ${ms(t.needsUpgrade.p99)} |`,
    `| throughput / livez | ${pct(t.bare.rps / t.livez.rps)} | 100% | ${pct(versionsRatio)} | ${pct(t.needsUpgrade.rps / t.livez.rps)} |`,
    "",
    "| target (SPEC section 7) | measured | |",
    "| --- | ---: | --- |",
    `| versions map p99 ≤ 10 ms, single client | ${ms(l.versions.p99)} | ${judge(l.versions.p99 <= 10)} |`,
    `| versions map throughput ≥ 50% of /api/livez | ${pct(versionsRatio)} | ${judge(versionsRatio >= 0.5)} |`,
    `| needs-upgrade first page p99 ≤ 15 ms | ${ms(l.needsUpgrade.p99)} | ${judge(l.needsUpgrade.p99 <= 15)} |`,
    ...r.batches.map((b) => {
      const rate = b.settled / b.seconds;
      const goal = b.concurrency ? 600 : 200;
      const measured = b.supported ? `${rate.toFixed(0)}/s (${b.settled} of ${b.total} in ${b.seconds.toFixed(1)} s${b.finished ? "" : ", stopped at the time budget"}${b.note ? `; ${b.note}` : ""})` : `n/a: ${b.note}`;
      return `| batch ${b.label} ≥ ${goal} upgrades/s (simulated driver, 0 ms) | ${measured} | ${b.supported ? judge(rate >= goal) : "**not available**"} |`;
    }),
    `| server RSS ≤ 400 MB (peak over the run, app process tree) | ${mb(r.rss.peak)} (idle after warm-up ${mb(r.rss.idle)}) | ${judge(r.rss.peak <= 400 * 2 ** 20)} |`,
    `| authenticating writes nothing; last use at most once a minute (${r.tokenWrites.readSeconds.toFixed(0)} s of reads, ${r.tokenWrites.method}) | ${tokenWrites.writes === 0 ? "unchanged" : `${tokenWrites.writes} write${tokenWrites.writes === 1 ? "" : "s"}, ${tokenWrites.shortestGapSeconds!.toFixed(1)} s or more apart: ${r.tokenWrites.stamps.join(" → ")}`} | ${verdict(tokenRuleKept)} |`,
    "",
    r.needsUpgradeAll.seconds.length > 0
      ? `needs-upgrade without \`limit\` (streamed): ${r.needsUpgradeAll.items.toLocaleString("en")} releases, ${r.needsUpgradeAll.megabytes.toFixed(1)} MB, median ${median(r.needsUpgradeAll.seconds).toFixed(2)} s to the last byte.`
      : "needs-upgrade without `limit`: no complete answer.",
    ...r.needsUpgradeAll.failures.map((f) => `A needs-upgrade without \`limit\` failed ${f}.`),
    "",
  ];
  return lines.join("\n");
}

const file = path.join(projectRoot, "docs", "benchmarks.md");
const startedAt = new Date();
const loadBefore = os.loadavg();
if (!buildIfNeeded((line) => log(line))) throw new Error("next build failed");
const results: Results[] = [];
for (const kind of kinds) results.push(await benchOne(kind));
const loadAfter = os.loadavg();

const cpu = os.cpus()[0]?.model ?? "unknown CPU";
const command = `npm run bench -- --releases ${releases} --tenants ${tenants} --batch-releases ${batchReleases} --seconds ${seconds} --samples ${samples}${flags["skip-seed"] ? " --skip-seed" : ""}${flags["skip-batches"] ? " --skip-batches" : ""}`;
const report = [
  "",
  `## ${startedAt.toISOString().slice(0, 16).replace("T", " ")} UTC — ${releases.toLocaleString("en")} releases, ${tenants.toLocaleString("en")} tenants, over HTTP`,
  "",
  `Machine: ${os.availableParallelism()} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}; load average ${loadBefore.map((n) => n.toFixed(1)).join(" ")} at the start, ${loadAfter.map((n) => n.toFixed(1)).join(" ")} at the end.`,
  `Command: \`${command}\`${pgUrl ? " with `BENCH_DATABASE_URL`" : ""}. Single-client figures over ${samples} requests; throughput over ${seconds} s with autocannon (8 connections); load generator, app and database share the machine.`,
  "",
  ...results.map(section),
].join("\n");

if (flags["no-write"]) {
  console.log(report);
} else {
  if (!existsSync(file)) writeFileSync(file, "# Benchmarks\n");
  appendFileSync(file, report);
  log(`appended to ${path.relative(projectRoot, file)}`);
}
