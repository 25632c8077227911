import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "@/server/db/client";
import { auditEvents } from "@/server/db/schema";
import { log } from "@/server/observability/log";
import type { DomainContext } from "../context";

/**
 * Who an event is written for: usually the request's actor, but a failed sign-in has no
 * actor yet, only the e-mail address someone tried ("anonymous" role).
 */
export type AuditContext = Pick<DomainContext, "requestId"> & { actor: { name: string; role: string } };

export interface AuditEntry {
  action: string;
  targetType: string;
  targetId?: string | null;
  tenantId?: string | null;
  releaseId?: string | null;
  revision?: number | null;
  summary?: Record<string, unknown>;
}

/**
 * Written inside the transaction of the change it describes, so neither exists alone. Every
 * state change writes one, so this is also where the log gets its line per state change:
 * identifiers only; the summary stays in the database (it may quote what a user typed).
 * The insert is sent at the call, so that callers can pipeline it with their other statements.
 */
export function recordAuditEvent(tx: DbOrTx, ctx: AuditContext, entry: AuditEntry): Promise<void> {
  return recordAuditEvents(tx, ctx, [entry]);
}

/**
 * Several events of one change in one statement, in this order (ids follow it): a batch
 * step records the outcomes and starts of many releases at once.
 */
export function recordAuditEvents(tx: DbOrTx, ctx: AuditContext, entries: AuditEntry[]): Promise<void> {
  return tx.execute(auditInsert(ctx, entries)).then(() => logAuditEvents(ctx, entries));
}

/**
 * The insert of these events, as a statement or as a part of another one (a batch step
 * writes it inside its batch change: one statement less per step). Raw SQL with one
 * constant text, prepared once per connection: every change writes audit.
 */
export function auditInsert(ctx: AuditContext, entries: AuditEntry[]): SQL {
  const rows = entries.map((entry, n) => ({
    n,
    tenant_id: entry.tenantId ?? null,
    action: entry.action,
    target_type: entry.targetType,
    target_id: entry.targetId ?? null,
    release_id: entry.releaseId ?? null,
    revision: entry.revision ?? null,
    summary: entry.summary ?? {},
  }));
  return sql`
      insert into ${auditEvents} (actor, actor_role, tenant_id, action, target_type, target_id, release_id, revision, summary, request_id)
      select ${ctx.actor.name}, ${ctx.actor.role}, x.tenant_id, x.action, x.target_type, x.target_id, x.release_id, x.revision, x.summary, ${ctx.requestId ?? null}
      from json_to_recordset(${JSON.stringify(rows)}::json) as x(n int, tenant_id uuid, action text, target_type text, target_id text, release_id uuid, revision int, summary jsonb)
      order by x.n`;
}

/** The log's line per state change, once its audit events are written. */
export function logAuditEvents(ctx: AuditContext, entries: AuditEntry[]): void {
  for (const entry of entries) {
    log.info(
      {
        event: "audit",
        action: entry.action,
        actor: ctx.actor.name,
        actorRole: ctx.actor.role,
        targetType: entry.targetType,
        targetId: entry.targetId ?? null,
        tenantId: entry.tenantId ?? null,
        ...(entry.releaseId ? { releaseId: entry.releaseId, revision: entry.revision ?? null } : {}),
        ...(ctx.requestId ? { requestId: ctx.requestId } : {}),
      },
      entry.action,
    );
  }
}
