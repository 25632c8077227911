import { z } from "zod";
import { pageQuery } from "./common";

export const listAuditQuery = pageQuery.extend({
  tenant: z.string().max(100).optional(),
  action: z.string().max(100).optional(),
  releaseId: z.uuid().optional(),
});
export type ListAuditQuery = z.infer<typeof listAuditQuery>;

export const auditEventSchema = z.object({
  id: z.number(),
  actor: z.string(),
  actorRole: z.string(),
  tenantId: z.string().nullable(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  releaseId: z.string().nullable(),
  /** Which release, in words: null when the event is not about a release. */
  release: z.object({ tenantSlug: z.string(), namespace: z.string(), name: z.string() }).nullable(),
  revision: z.number().nullable(),
  summary: z.record(z.string(), z.unknown()),
  requestId: z.string().nullable(),
  createdAt: z.string(),
});
export type AuditEventView = z.infer<typeof auditEventSchema>;
