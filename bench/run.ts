/**
 * `npm run bench`: Helmdeck's fleet queries and release operations at fleet scale.
 * Fills a fresh database with FLEET releases (default 100 000) across 1 000 tenants with
 * set-based SQL, then times the use cases the API runs. Embedded PGlite always; also
 * PostgreSQL when BENCH_DATABASE_URL is set (a database is created and dropped).
 * Results are appended to docs/benchmarks.md with the machine and the date.
 */
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { openPglite, openPostgres, type DatabaseHandle } from "../src/server/db/client";
import { systemActor } from "../src/server/auth/actor";
import { createSimulatedDriver } from "../src/server/deploy/simulated-driver";
import { publishChartVersion } from "../src/server/domain/charts/publish-chart-version";
import type { DomainContext } from "../src/server/domain/context";
import { countReleasesByVersion } from "../src/server/domain/fleet/count-releases-by-version";
import { findReleasesNeedingUpgrade } from "../src/server/domain/fleet/find-releases-needing-upgrade";
import { listReleases } from "../src/server/domain/releases/list-releases";
import { planUpgrade } from "../src/server/domain/releases/plan-upgrade";
import { upgradeRelease } from "../src/server/domain/releases/upgrade-release";
import { semverSortKey } from "../src/server/domain/versions/semver";

const FLEET = Number(process.env.FLEET ?? 100_000);
const TENANTS = 1_000;
const CHART = "bench-engine";
const VERSIONS = ["1.0.0", "1.1.0", "1.2.0", "1.9.0", "1.10.0"];

type Row = { name: string; median: number; p95: number; runs: number; note?: string };

async function time(name: string, runs: number, fn: (i: number) => Promise<unknown>, note?: string): Promise<Row> {
  await fn(-1); // warm-up: plans, caches, JIT
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn(i);
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const row = { name, runs, median: samples[Math.floor(runs / 2)]!, p95: samples[Math.min(runs - 1, Math.floor(runs * 0.95))]!, note };
  console.log(`  ${name}: median ${row.median.toFixed(1)} ms, p95 ${row.p95.toFixed(1)} ms (${runs} runs)`);
  return row;
}

async function fill(ctx: DomainContext): Promise<void> {
  for (const version of VERSIONS) {
    await publishChartVersion({
      ctx,
      input: { name: CHART, version, appVersion: version, defaultValues: { replicaCount: 1, resources: { requests: { cpu: "100m", memory: "128Mi" } } }, changes: [], deprecated: false },
    });
  }
  const sortCase = sql.raw(`case g % ${VERSIONS.length} ${VERSIONS.map((v, i) => `when ${i} then '${semverSortKey(v)}'`).join(" ")} end`);
  const versionCase = sql.raw(`case g % ${VERSIONS.length} ${VERSIONS.map((v, i) => `when ${i} then '${v}'`).join(" ")} end`);
  await ctx.db.execute(sql`
    insert into tenants (slug, name, environment)
    select 'bench-' || lpad(g::text, 4, '0'), 'Bench ' || g, (array['development','staging','production','production'])[1 + g % 4]
    from generate_series(1, ${TENANTS}) g`);
  await ctx.db.execute(sql`
    insert into releases (tenant_id, name, namespace, chart_name, rollout_key, status, latest_revision, deployed_revision, chart_version, version_sort, app_version, created_at, updated_at)
    select t.id, 'engine-' || g, 'ns-' || (g % 7), ${CHART},
           (case t.environment when 'development' then '0' when 'staging' then '1' else '2' end) || ' ' || t.slug || ' engine-' || g || ' ns-' || (g % 7),
           'DEPLOYED', 1, 1, ${versionCase}, ${sortCase}, ${versionCase}, now() - make_interval(secs => g), now()
    from generate_series(1, ${FLEET}) g
    join (select id, slug, environment, row_number() over (order by slug) - 1 as n from tenants where slug like 'bench-%') t on t.n = g % ${TENANTS}`);
  await ctx.db.execute(sql`
    insert into revisions (release_id, revision, chart_version, app_version, values_override, user_values, values, status, operation, description, actor, finished_at)
    select r.id, 1, r.chart_version, r.app_version, '{}'::json, '{}'::json,
           '{"replicaCount":1,"resources":{"requests":{"cpu":"100m","memory":"128Mi"}}}'::json, 'DEPLOYED', 'install', 'bench', 'bench', now()
    from releases r where r.chart_name = ${CHART}`);
  await ctx.db.execute(sql`analyze`);
}

async function bench(kind: string, handle: DatabaseHandle): Promise<Row[]> {
  console.log(`\n${kind}: filling ${FLEET} releases…`);
  await handle.migrate();
  const ctx: DomainContext = { db: handle.db, actor: systemActor("bench"), driver: createSimulatedDriver({ latencyMs: 0 }) };
  const started = performance.now();
  await fill(ctx);
  console.log(`  filled in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const someIds = (await handle.db.execute(sql`select id from releases where chart_name = ${CHART} and chart_version = '1.0.0' limit 200`)) as unknown;
  const ids = ((Array.isArray(someIds) ? someIds : (someIds as { rows: unknown[] }).rows) as { id: string }[]).map((r) => r.id);
  const rows: Row[] = [];
  rows.push(await time("versions map (GET …/chart/:name/versions)", 20, () => countReleasesByVersion({ ctx, chartName: CHART })));
  rows.push(await time("needs-upgrade, first page of 100", 20, () => findReleasesNeedingUpgrade({ ctx, filter: { chartName: CHART, targetVersion: "1.10.0" }, limit: 100 })));
  rows.push(await time("needs-upgrade, all 80% of the fleet", 3, () => findReleasesNeedingUpgrade({ ctx, filter: { chartName: CHART, targetVersion: "1.10.0" } }), "returns every item"));
  rows.push(await time("releases list, first page of 100", 20, () => listReleases({ ctx, query: { chart: CHART } })));
  rows.push(await time("releases list, filtered by tenant", 20, () => listReleases({ ctx, query: { tenant: "bench-0500" } })));
  rows.push(await time("upgrade plan (five checks)", 20, (i) => planUpgrade({ ctx, releaseId: ids[Math.max(0, i)]!, input: { chartVersion: "1.10.0", valuesStrategy: "reset-then-reuse", atomic: false, acknowledgeBreakingChanges: false } })));
  rows.push(
    await time("upgrade one release (simulated driver, 0 ms)", 50, (i) =>
      upgradeRelease({ ctx, input: { releaseId: ids[i + 1]!, chartVersion: "1.10.0", valuesStrategy: "reset-then-reuse", atomic: false, acknowledgeBreakingChanges: false } }),
    ),
  );
  return rows;
}

const results: Array<{ kind: string; rows: Row[] }> = [];
const pglite = await openPglite(undefined);
try {
  results.push({ kind: "PGlite (embedded, in memory)", rows: await bench("PGlite", pglite) });
} finally {
  await pglite.close();
}

const pgUrl = process.env.BENCH_DATABASE_URL;
if (pgUrl) {
  const { default: postgres } = await import("postgres");
  const admin = postgres(pgUrl, { max: 1, onnotice: () => {} });
  const name = `helmdeck_bench_${randomBytes(4).toString("hex")}`;
  await admin.unsafe(`create database ${name}`);
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  const handle = await openPostgres(url.toString());
  try {
    results.push({ kind: "PostgreSQL (postgres-js, localhost)", rows: await bench("PostgreSQL", handle) });
  } finally {
    await handle.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

const file = path.resolve(import.meta.dirname, "..", "docs", "benchmarks.md");
if (!existsSync(file)) {
  writeFileSync(file, "# Benchmarks\n\nWritten by `npm run bench` (newest at the bottom). Times are per call of the use case, in the same process as the database client.\n");
}
const cpu = os.cpus()[0]?.model ?? "unknown CPU";
let section = `\n## ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC — ${FLEET.toLocaleString("en")} releases, ${TENANTS} tenants\n\nMachine: ${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}\n`;
for (const { kind, rows } of results) {
  section += `\n### ${kind}\n\n| operation | median | p95 | runs |\n| --- | ---: | ---: | ---: |\n`;
  for (const r of rows) section += `| ${r.name}${r.note ? ` (${r.note})` : ""} | ${r.median.toFixed(1)} ms | ${r.p95.toFixed(1)} ms | ${r.runs} |\n`;
}
appendFileSync(file, section);
console.log(`\nappended to ${path.relative(process.cwd(), file)}`);
