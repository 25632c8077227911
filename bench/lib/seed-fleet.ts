/**
 * The reference fleet for benchmarks, written with set-based SQL (INSERT … SELECT over
 * generate_series, a chunk of releases per statement) so that a million releases take
 * minutes, not hours of use-case calls, yet every row is what the app itself would write:
 * chart versions go through the publish use case; tenants, releases, revision 1 and the
 * audit trail of an install are written with the same columns, keys and summaries as
 * createTenant and installRelease; the versions map counts follow by the triggers on
 * releases. tests/integration/seed-fleet.test.ts compares a seeded release with an
 * installed one column by column.
 */
import { sql } from "drizzle-orm";
import type { Database } from "../../src/server/db/client";
import { systemActor } from "../../src/server/auth/actor";
import { publishChartVersion } from "../../src/server/domain/charts/publish-chart-version";
import type { DomainContext } from "../../src/server/domain/context";
import { computeValues } from "../../src/server/domain/values/merge-values";
import { semverSortKey } from "../../src/server/domain/versions/semver";

export const SEED_ACTOR = systemActor("system:bench-seed");
const CHUNK = 20_000;

export interface FleetSpec {
  releases: number;
  tenants: number;
  chart: string;
  versions: string[];
}

/** The reference fleet of SPEC section 7; 1.9.0 and 1.10.0 keep semver order honest. */
export const DEFAULT_FLEET: FleetSpec = { releases: 100_000, tenants: 1_000, chart: "bench-engine", versions: ["1.0.0", "1.1.0", "1.2.0", "1.9.0", "1.10.0"] };

export interface SeedResult {
  tenantsCreated: number;
  releasesCreated: number;
  chartVersionsPublished: number;
}

/** What the bench fleet's chart versions hold: enough for the quota model and the checks. */
export const benchChartDefaults = (chart: string, version: string) => ({
  replicaCount: 1,
  image: { repository: `example/${chart}`, tag: version },
  resources: { requests: { cpu: "100m", memory: "128Mi" } },
});

const rowsOf = <T>(result: unknown): T[] => (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];

/**
 * Adds the fleet to the database: idempotent (what exists is kept, so running it again
 * changes nothing), and another chart lands on the same tenants. Safe while the app runs:
 * each chunk is one short statement, and counts follow by trigger in the same transaction.
 */
export async function seedFleet(db: Database, spec: FleetSpec, progress: (line: string) => void = () => {}): Promise<SeedResult> {
  const ctx: DomainContext = { db, actor: SEED_ACTOR, requestId: "bench-seed" };
  let chartVersionsPublished = 0;
  const versions: Array<{ idx: number; version: string; sort: string; appVersion: string; values: unknown }> = [];
  for (const [idx, version] of spec.versions.entries()) {
    const defaultValues = benchChartDefaults(spec.chart, version);
    const { chartVersion, created } = await publishChartVersion({ ctx, input: { name: spec.chart, version, appVersion: version, defaultValues, changes: [], deprecated: false } });
    if (created) chartVersionsPublished++;
    versions.push({ idx, version, sort: semverSortKey(version), appVersion: chartVersion.appVersion, values: computeValues(defaultValues, {}) });
  }

  const width = Math.max(4, String(spec.tenants).length);
  const [tenantRow] = rowsOf<{ created: number }>(
    await db.execute(sql`
      with created as (
        insert into tenants (slug, name, environment)
        select 'bench-' || lpad(n::text, ${width}, '0'), 'Bench tenant ' || n, (array['production', 'development', 'staging', 'production'])[1 + n % 4]
        from generate_series(1, ${spec.tenants}::int) n
        on conflict (slug) do nothing
        returning id, slug, environment
      ), audit as (
        insert into audit_events (actor, actor_role, tenant_id, action, target_type, target_id, summary, request_id)
        select ${SEED_ACTOR.name}, ${SEED_ACTOR.role}, id, 'tenant.create', 'tenant', id::text, jsonb_build_object('slug', slug, 'environment', environment), ${ctx.requestId!}
        from created
      )
      select count(*)::integer as created from created`),
  );
  progress(`tenants: ${tenantRow?.created ?? 0} created, ${spec.tenants} in the fleet`);

  const versionsJson = JSON.stringify(versions);
  const V = sql.raw(String(versions.length));
  let releasesCreated = 0;
  for (let from = 0; from < spec.releases; from += CHUNK) {
    const to = Math.min(spec.releases, from + CHUNK) - 1;
    // Release g (0-based) runs version g % V, so each version gets an even share; blocks of V
    // consecutive releases go round-robin to the tenants, so each tenant runs every version.
    const [row] = rowsOf<{ created: number }>(
      await db.execute(sql`
        with versions as (
          select * from json_to_recordset(${versionsJson}::json) as v(idx integer, version text, sort text, "appVersion" text, "values" json)
        ), planned as (
          select (g / ${V}) % ${spec.tenants}::int + 1 as tenant_number, (g / (${V} * ${spec.tenants}::int)) * ${V} + g % ${V} + 1 as k, g % ${V} as version_idx
          from generate_series(${from}::int, ${to}::int) g
        ), created as (
          insert into releases (tenant_id, name, namespace, chart_name, rollout_key, status, latest_revision, deployed_revision, chart_version, version_sort, app_version)
          select t.id, ${spec.chart} || '-' || p.k, ${spec.chart}, ${spec.chart},
                 (case t.environment when 'development' then '0' when 'staging' then '1' else '2' end) || ' ' || t.slug || ' ' || ${spec.chart} || '-' || p.k || ' ' || ${spec.chart},
                 'DEPLOYED', 1, 1, v.version, v.sort, v."appVersion"
          from planned p
          join tenants t on t.slug = 'bench-' || lpad(p.tenant_number::text, ${width}, '0')
          join versions v on v.idx = p.version_idx
          order by p.tenant_number, p.k
          on conflict (tenant_id, namespace, name) do nothing
          returning id, tenant_id, name, namespace, chart_version, app_version
        ), revisions_created as (
          insert into revisions (release_id, revision, chart_version, app_version, values_override, user_values, values, status, operation, description, actor, started_at, finished_at)
          select r.id, 1, r.chart_version, r.app_version, '{}'::json, '{}'::json, v."values", 'DEPLOYED', 'install', 'Install ' || ${spec.chart} || ' ' || r.chart_version, ${SEED_ACTOR.name}, now(), now()
          from created r join versions v on v.version = r.chart_version
        ), audit as (
          insert into audit_events (actor, actor_role, tenant_id, action, target_type, target_id, release_id, revision, summary, request_id)
          select ${SEED_ACTOR.name}, ${SEED_ACTOR.role}, r.tenant_id, a.action, 'release', r.id::text, r.id, 1,
                 case a.action
                   when 'release.install.start' then jsonb_build_object('name', r.name, 'namespace', r.namespace, 'chart', ${spec.chart}::text, 'to', r.chart_version)
                   else jsonb_build_object('from', null, 'to', r.chart_version, 'status', 'DEPLOYED', 'batchId', null)
                 end,
                 ${ctx.requestId!}
          from created r cross join (values (1, 'release.install.start'), (2, 'release.install.succeeded')) a(step, action)
          order by r.id, a.step
        )
        select count(*)::integer as created from created`),
    );
    releasesCreated += row?.created ?? 0;
    progress(`releases: ${to + 1} of ${spec.releases} planned, ${releasesCreated} created`);
  }
  // Fresh statistics, so that the planner's first queries see a fleet, not an empty table; and
  // the count rows, rewritten once per chunk, without their dead versions (PGlite has no autovacuum).
  await db.execute(sql`analyze tenants, releases, revisions`);
  await db.execute(sql`vacuum analyze release_version_counts, release_version_totals`);
  return { tenantsCreated: tenantRow?.created ?? 0, releasesCreated, chartVersionsPublished };
}
