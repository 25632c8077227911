import { sql } from "drizzle-orm";
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
  // Raw SQL: every change writes one, and building it through the query builder costs more than running it.
  return tx
    .execute(sql`
      insert into ${auditEvents} (actor, actor_role, tenant_id, action, target_type, target_id, release_id, revision, summary, request_id)
      values (${ctx.actor.name}, ${ctx.actor.role}, ${entry.tenantId ?? null}, ${entry.action}, ${entry.targetType}, ${entry.targetId ?? null},
        ${entry.releaseId ?? null}, ${entry.revision ?? null}, ${JSON.stringify(entry.summary ?? {})}::jsonb, ${ctx.requestId ?? null})`)
    .then(() => {
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
    });
}
