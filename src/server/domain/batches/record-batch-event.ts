import { sql, type SQL } from "drizzle-orm";
import type { BatchStatus } from "@/contracts/batches";
import type { DbOrTx } from "@/server/db/client";
import { rowsOf } from "@/server/db/raw";
import { recordBatchItem } from "@/server/observability/metrics";
import type { BatchRow } from "./batch-view";

/** The SQLSTATE helmdeck_refuse_batch_change raises (drizzle/0008). */
const REFUSED = "HD409";
/** The refusal, as the driver reports it or wrapped (Drizzle keeps the driver's error as the cause). */
function isRefusal(e: unknown): boolean {
  for (let error = e, depth = 0; typeof error === "object" && error !== null && depth < 4; error = (error as { cause?: unknown }).cause, depth++) {
    if ((error as { code?: unknown }).code === REFUSED) return true;
  }
  return false;
}

/** The batch row was not in the state the change required (another runner holds it, or it was paused or cancelled). */
export class BatchChangeRefused extends Error {
  constructor(batchId: string) {
    super(`batch ${batchId} is not in the state this change needs`);
  }
}

export interface BatchChange {
  batchId: string;
  /** Further conditions on the batch row, e.g. that this runner still holds it. */
  guard?: SQL;
  /** An `update batch_items … returning *` (or insert): the items this change moves, each reported as an event. */
  items?: SQL;
  /** Columns of the batch row to set (SQL over its current values). */
  set?: Partial<Record<"status" | "started_at" | "finished_at" | "items_total" | "items_pending", SQL>>;
  /** Also report the batch's own state, after the item events. */
  batchEvent?: boolean;
  /** How many items `items` must move; otherwise the change is refused (e.g. the item was cancelled meanwhile). */
  expectItems?: number;
  /** Inserts that belong to the same change (its audit events, its webhook deliveries), run as parts of this statement. */
  alongside?: SQL[];
}

const iso = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const countsJson = sql`jsonb_build_object('total', b.items_total, 'pending', b.items_pending, 'upgraded', b.items_upgraded, 'failed', b.items_failed, 'skipped', b.items_skipped, 'cancelled', b.items_cancelled)`;

/**
 * The last statement of every transaction that changes a batch: moves its items, updates
 * the batch row (counters, status) and appends one event per change, all in one round trip.
 *
 * Events are numbered from batches.event_seq while this statement holds the batch row's
 * lock, and the transaction commits right after, so event numbers follow commit order with
 * no gap: a reader that has seen event n has seen every event before it. Taking the lock
 * last keeps it for the length of a commit only, so that concurrent items of one batch do
 * not queue behind each other's work.
 *
 * Throws BatchChangeRefused when the guard does not hold: the statement itself fails, so the
 * transaction is aborted in the database, even if its COMMIT was already sent behind it.
 */
export async function commitBatchChange(tx: DbOrTx, change: BatchChange): Promise<BatchRow> {
  const items = change.items ?? sql`select * from batch_items where false`;
  const extraEvents = change.batchEvent ? 1 : 0;
  const assignments: Record<string, SQL> = {
    event_seq: sql`event_seq + tally.n + ${extraEvents}`,
    items_pending: sql`items_pending - tally.settled`,
    items_upgraded: sql`items_upgraded + tally.upgraded`,
    items_failed: sql`items_failed + tally.failed`,
    items_skipped: sql`items_skipped + tally.skipped`,
    items_cancelled: sql`items_cancelled + tally.cancelled`,
    ...change.set,
  };
  const sets = sql.join(
    Object.entries(assignments).map(([column, value]) => sql`${sql.identifier(column)} = ${value}`),
    sql`, `,
  );
  const result = await tx.execute(sql`
    with changed as (${items}),
    tally as (
      select count(*)::int as n,
        count(*) filter (where status not in ('PENDING', 'RUNNING'))::int as settled,
        count(*) filter (where status = 'UPGRADED')::int as upgraded,
        count(*) filter (where status = 'FAILED')::int as failed,
        count(*) filter (where status in ('SKIPPED', 'CANCELLED'))::int as skipped,
        count(*) filter (where status = 'CANCELLED')::int as cancelled
      from changed
    ),
    b as (
      update batches set ${sets}
      from tally
      where batches.id = ${change.batchId} ${change.guard ? sql`and ${change.guard}` : sql``}
      returning batches.*, tally.n as changed_n, tally.upgraded as settled_upgraded, tally.failed as settled_failed,
        tally.skipped - tally.cancelled as settled_skipped, tally.cancelled as settled_cancelled
    ),
    events as (
      insert into batch_events (batch_id, seq, tenant_id, payload)
      select b.id, b.event_seq - b.changed_n - ${extraEvents} + row_number() over (order by c.position), c.tenant_id,
        jsonb_build_object('type', 'item', 'counts', ${countsJson}, 'item', jsonb_build_object(
          'position', c.position + 1, 'tenantPosition', c.tenant_position, 'releaseId', c.release_id, 'tenantSlug', c.tenant_slug,
          'releaseName', c.release_name, 'namespace', c.namespace, 'fromVersion', c.from_version, 'status', c.status, 'revision', c.revision, 'error', c.error, 'reasonCode', c.reason_code))
      from b, changed c
      union all
      select b.id, b.event_seq, null,
        jsonb_build_object('type', 'batch', 'counts', ${countsJson}, 'batch', jsonb_build_object(
          'id', b.id, 'status', b.status, 'startedAt', ${iso(sql`b.started_at`)}, 'finishedAt', ${iso(sql`b.finished_at`)}))
      from b where ${extraEvents} = 1
    )${sql.join((change.alongside ?? []).map((insert, n) => sql`, ${sql.identifier(`alongside_${n}`)} as (${insert})`))}
    select b.* from (select 1) one left join b on true
    where case when b.id is not null ${change.expectItems !== undefined ? sql`and b.changed_n = ${change.expectItems}` : sql``} then true
      else helmdeck_refuse_batch_change(${change.batchId}) end`).catch((e: unknown) => {
    throw isRefusal(e) ? new BatchChangeRefused(change.batchId) : e;
  });
  const row = rowsOf<Record<string, unknown>>(result)[0]!;
  // Every item's settling passes here: so does the batch-items metric.
  for (const result of ["upgraded", "failed", "skipped", "cancelled"] as const) {
    recordBatchItem(result, Number(row[`settled_${result}`] ?? 0));
  }
  return batchRowOf(row);
}

const date = (v: unknown) => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(String(v)));

/** A raw `batches` row as Drizzle would have mapped it (raw SQL answers column names and driver types). */
function batchRowOf(r: Record<string, unknown>): BatchRow {
  return {
    id: String(r.id),
    kind: r.kind as BatchRow["kind"],
    chartName: String(r.chart_name),
    targetVersion: String(r.target_version),
    status: r.status as BatchStatus,
    options: (typeof r.options === "string" ? JSON.parse(r.options) : r.options) as BatchRow["options"],
    rollbackOf: (r.rollback_of as string | null) ?? null,
    tenantId: (r.tenant_id as string | null) ?? null,
    createdBy: String(r.created_by),
    policyId: (r.policy_id as string | null) ?? null,
    runnerId: (r.runner_id as string | null) ?? null,
    runnerLeaseExpiresAt: date(r.runner_lease_expires_at),
    createdAt: date(r.created_at)!,
    startedAt: date(r.started_at),
    finishedAt: date(r.finished_at),
    eventSeq: Number(r.event_seq),
    itemsTotal: Number(r.items_total),
    itemsPending: Number(r.items_pending),
    itemsUpgraded: Number(r.items_upgraded),
    itemsFailed: Number(r.items_failed),
    itemsSkipped: Number(r.items_skipped),
    itemsCancelled: Number(r.items_cancelled),
  };
}

/** Guards: the runner still holds the batch; the batch is in one of these states. */
export const heldBy = (runnerId: string) => sql`batches.runner_id = ${runnerId}`;
export const statusIn = (...statuses: BatchStatus[]) => sql`batches.status in (${sql.join(statuses.map((s) => sql`${s}`), sql`, `)})`;
