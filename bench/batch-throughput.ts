/**
 * Batch throughput at fleet scale, in process against PostgreSQL: how many upgrades per
 * second the batch runner settles with the simulated driver at 0 ms, sequentially and with
 * concurrency. It measures Helmdeck's own bookkeeping per item (claim, plan, record,
 * settle, events, audit), which is what a batch costs before any real helm time.
 *
 *   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
 *     npx tsx --tsconfig tsconfig.scripts.json bench/batch-throughput.ts --releases 100000 --seconds 30 --concurrency 1,16
 *
 * It creates (and afterwards drops) its own database, seeds `--releases` releases of one
 * chart over `--tenants` tenants in all three environments by set-based SQL (the same rows
 * the app writes: a DEPLOYED revision 1 per release, rollout keys, version sort keys), then
 * for each concurrency starts a batch to the newest version, lets it run `--seconds`,
 * cancels it and reports items settled per second. Each run starts from the same fleet
 * state the previous one left (upgraded releases are simply no longer in the next batch).
 */
import { readdirSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { randomBytes } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { batchUpgradeInput } from "@/contracts/batches";
import { openPostgres } from "@/server/db/client";
import { batches } from "@/server/db/schema";
import { createSimulatedDriver } from "@/server/deploy/simulated-driver";
import { claimBatch } from "@/server/domain/batches/batch-lease";
import { controlBatch } from "@/server/domain/batches/control-batch";
import { runBatch } from "@/server/domain/batches/run-batch";
import { startBatchUpgrade } from "@/server/domain/batches/start-batch-upgrade";
import { publishChartVersion } from "@/server/domain/charts/publish-chart-version";
import { rolloutKey } from "@/server/domain/fleet/find-releases-needing-upgrade";
import { semverSortKey } from "@/server/domain/versions/semver";
import { systemActor } from "@/server/auth/actor";

const { values: args } = parseArgs({
  options: {
    releases: { type: "string", default: "100000" },
    tenants: { type: "string", default: "1000" },
    seconds: { type: "string", default: "30" },
    concurrency: { type: "string", default: "1,16" },
    // Diagnosis only: how much of an item's time is waiting for WAL flushes (never how the app runs).
    "async-commit": { type: "boolean", default: false },
    // Diagnosis only: the database's plan_cache_mode (auto, force_generic_plan, force_custom_plan).
    "plan-cache-mode": { type: "string" },
    // Diagnosis only: plans of statements slower than this many ms go to the PostgreSQL server log (auto_explain).
    "explain-slower-than": { type: "string" },
  },
});
const RELEASES = Number(args.releases);
const TENANTS = Number(args.tenants);
const SECONDS = Number(args.seconds);
const CHART = "bench-chart";
const VERSIONS = ["1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0"];
const TARGET = VERSIONS.at(-1)!;

async function main() {
  const adminUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error("set BENCH_DATABASE_URL to a PostgreSQL server");
  const { default: postgres } = await import("postgres");
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  const name = `helmdeck_bench_batch_${randomBytes(4).toString("hex")}`;
  await admin.unsafe(`create database ${name}`);
  if (args["async-commit"]) await admin.unsafe(`alter database ${name} set synchronous_commit = off`);
  const planCacheMode = args["plan-cache-mode"];
  if (planCacheMode) {
    if (!["auto", "force_generic_plan", "force_custom_plan"].includes(planCacheMode)) throw new Error("--plan-cache-mode: auto, force_generic_plan or force_custom_plan");
    await admin.unsafe(`alter database ${name} set plan_cache_mode = ${planCacheMode}`);
  }
  if (args["explain-slower-than"]) {
    await admin.unsafe(`alter database ${name} set session_preload_libraries = 'auto_explain'`);
    await admin.unsafe(`alter database ${name} set auto_explain.log_min_duration = '${Number(args["explain-slower-than"])}ms'`);
    await admin.unsafe(`alter database ${name} set auto_explain.log_analyze = on`);
    await admin.unsafe(`alter database ${name} set auto_explain.log_nested_statements = on`);
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openPostgres(url.toString());
  try {
    await handle.migrate();
    const { db } = handle;
    const ctx = { db, actor: systemActor("bench"), requestId: "bench" };
    for (const version of VERSIONS) {
      await publishChartVersion({
        ctx,
        input: {
          name: CHART,
          version,
          appVersion: version,
          defaultValues: { replicaCount: 1, image: { repository: "example/app", tag: version }, resources: { requests: { cpu: "100m", memory: "128Mi" } } },
          changes: [],
          deprecated: false,
        },
      });
    }
    const seeded = Date.now();
    // Tenants bench-0001… spread over the environments: a tenth development, a fifth staging, the rest production.
    await db.execute(sql`
      insert into tenants (slug, name, environment)
      select 'bench-' || lpad(i::text, 4, '0'), 'Bench ' || i,
        case when i % 10 = 0 then 'development' when i % 5 = 0 then 'staging' else 'production' end
      from generate_series(1, ${TENANTS}) i`);
    const rank = (e: "development" | "staging" | "production") => rolloutKey(e, "", "", "").split(" ")[0];
    const versionCase = (expr: string) => sql.raw(`(array[${VERSIONS.slice(0, -1).map((v) => `'${v}'`).join(",")}])[(${expr}) % ${VERSIONS.length - 1} + 1]`);
    const sortCase = (column: string) => sql.raw(`case ${column} ${VERSIONS.map((v) => `when '${v}' then '${semverSortKey(v)}'`).join(" ")} end`);
    // version_sort at insert: the version-count trigger reads it.
    await db.execute(sql`
      insert into releases (tenant_id, name, namespace, chart_name, status, latest_revision, deployed_revision, chart_version, version_sort, app_version, rollout_key)
      select t.id, 'app-' || lpad(n::text, 6, '0'), 'default', ${CHART}, 'DEPLOYED', 1, 1, v.version, ${sortCase("v.version")}, '', ''
      from generate_series(0, ${RELEASES - 1}) n
      cross join lateral (select ${versionCase("n")} as version) v
      join (select id, row_number() over (order by slug) - 1 as k from tenants) t on t.k = n % ${TENANTS}`);
    await db.execute(sql`
      update releases r set app_version = r.chart_version,
        rollout_key = (case t.environment when 'development' then ${rank("development")} when 'staging' then ${rank("staging")} else ${rank("production")} end) || ' ' || t.slug || ' ' || r.name || ' ' || r.namespace
      from tenants t where t.id = r.tenant_id`);
    await db.execute(sql`
      insert into revisions (release_id, revision, chart_version, app_version, values_override, user_values, values, status, operation, description, actor, finished_at)
      select r.id, 1, r.chart_version, r.chart_version, '{}'::json, '{}'::json, cv.default_values, 'DEPLOYED', 'install', 'Install', 'bench', now()
      from releases r join chart_versions cv on cv.name = r.chart_name and cv.version = r.chart_version`);
    await db.execute(sql`analyze`);
    console.log(`seeded ${RELEASES} releases over ${TENANTS} tenants in ${((Date.now() - seeded) / 1000).toFixed(1)} s`);

    const driver = createSimulatedDriver({ latencyMs: 0 });
    const results: string[] = [];
    for (const concurrency of String(args.concurrency).split(",").map(Number)) {
      const created = Date.now();
      const batch = await startBatchUpgrade({ ctx, input: batchUpgradeInput.parse({ chartName: CHART, targetVersion: TARGET, concurrency, ignoreWindows: true }) });
      const createdMs = Date.now() - created;
      const runnerId = `bench-${concurrency}`;
      await claimBatch(db, runnerId, { batchId: batch.id });
      const stop = new AbortController();
      const started = Date.now();
      const cpu = process.cpuUsage();
      const pgCpu = postgresCpuMs();
      const running = runBatch({ db, batchId: batch.id, runnerId, driver, signal: stop.signal });
      await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
      stop.abort();
      await running;
      const elapsed = (Date.now() - started) / 1000;
      const used = process.cpuUsage(cpu);
      const pgUsed = postgresCpuMs() - pgCpu;
      const [row] = await db.select().from(batches).where(eq(batches.id, batch.id));
      const settled = row!.itemsUpgraded + row!.itemsFailed + row!.itemsSkipped;
      if (row!.status === "RUNNING") await controlBatch({ ctx, batchId: batch.id, action: "cancel" });
      const line = `concurrency ${String(concurrency).padStart(2)}: ${settled} of ${row!.itemsTotal} items settled in ${elapsed.toFixed(1)} s = ${(settled / elapsed).toFixed(0)} upgrades/s; ${((used.user + used.system) / 1000 / Math.max(settled, 1)).toFixed(2)} ms of this process's CPU per item (${(used.user / 1000 / Math.max(settled, 1)).toFixed(2)} user, ${(used.system / 1000 / Math.max(settled, 1)).toFixed(2)} system), ${(pgUsed / Math.max(settled, 1)).toFixed(2)} ms of PostgreSQL's (every postgres process on this machine) (batch of ${row!.itemsTotal} recorded in ${createdMs} ms; ${row!.itemsFailed} failed)`;
      console.log(line);
      results.push(line);
    }
  } finally {
    await handle.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});

/** CPU time of every postgres process on this machine so far, in ms (Linux /proc; 0 elsewhere). */
function postgresCpuMs(): number {
  let ticks = 0;
  try {
    for (const pid of readdirSync("/proc")) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        if (!stat.includes("(postgres)")) continue;
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        ticks += Number(fields[11]) + Number(fields[12]);
      } catch {
        // the process ended meanwhile
      }
    }
  } catch {
    return 0;
  }
  return ticks * 10;
}
