import { z } from "zod";
import { booleanFlag, chartName, idSchema, semverString } from "./common";
import { upgradeOptions } from "./releases";

export const BATCH_STATUSES = ["QUEUED", "RUNNING", "PAUSED", "SUCCEEDED", "PARTIALLY_FAILED", "FAILED", "CANCELLED"] as const;
export const BATCH_ITEM_STATUSES = ["PENDING", "RUNNING", "UPGRADED", "FAILED", "SKIPPED", "CANCELLED"] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];
export type BatchItemStatus = (typeof BATCH_ITEM_STATUSES)[number];
export const FINISHED_BATCH_STATUSES = ["SUCCEEDED", "PARTIALLY_FAILED", "FAILED", "CANCELLED"] as const satisfies readonly BatchStatus[];

/** Query string and JSON body are merged: the body wins. */
export const batchUpgradeInput = upgradeOptions.omit({ chartVersion: true }).extend({
  chartName,
  targetVersion: semverString,
  tenant: z.string().max(100).optional(),
  dryRun: booleanFlag.default(false),
  ignoreWindows: booleanFlag.default(false),
  async: booleanFlag.default(false),
  maxFailures: z.coerce.number().int().min(1).optional(),
  canary: z.coerce.number().int().min(1).optional(),
});
export type BatchUpgradeInput = z.infer<typeof batchUpgradeInput>;

export type BatchOptions = Omit<BatchUpgradeInput, "chartName" | "targetVersion" | "async" | "dryRun">;

export const batchItemSchema = z.object({
  releaseId: idSchema,
  tenantSlug: z.string(),
  releaseName: z.string(),
  fromVersion: z.string().nullable(),
  status: z.enum(BATCH_ITEM_STATUSES),
  revision: z.number().nullable(),
  error: z.string().nullable(),
});
export type BatchItemView = z.infer<typeof batchItemSchema>;

export const batchSchema = z.object({
  id: idSchema,
  kind: z.enum(["upgrade", "rollback"]),
  chartName: z.string(),
  targetVersion: z.string(),
  status: z.enum(BATCH_STATUSES),
  counts: z.object({ total: z.number(), pending: z.number(), upgraded: z.number(), failed: z.number(), skipped: z.number() }),
  items: z.array(batchItemSchema),
  options: z.record(z.string(), z.unknown()),
  rollbackOf: idSchema.nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type BatchView = z.infer<typeof batchSchema>;
