import { z } from "zod";
import { booleanFlag, chartName, idSchema, pageQuery, semverString } from "./common";
import { upgradeOptions, upgradePlanSchema } from "./releases";

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

export const listBatchesQuery = pageQuery;
export type ListBatchesQuery = z.infer<typeof listBatchesQuery>;

export const batchRef = z.object({ batchId: idSchema });

/** A batch's own state as one event carries it (items travel as their own events). */
export const batchStateSchema = batchSchema.pick({ id: true, status: true, startedAt: true, finishedAt: true });

/**
 * One entry of a batch's progress log. `snapshot` is the first event of a fresh stream;
 * `batch` and `item` follow, one per change, in the order they were committed.
 */
export const batchEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("snapshot"), batch: batchSchema }),
  z.object({ type: z.literal("batch"), batch: batchStateSchema }),
  z.object({ type: z.literal("item"), position: z.number(), item: batchItemSchema }),
]);
export type BatchEvent = z.infer<typeof batchEventSchema>;
export const batchEventEnvelope = z.object({ id: z.number(), event: batchEventSchema });
export type BatchEventEnvelope = z.infer<typeof batchEventEnvelope>;

/** What a dry run says about one release: the plan, and what the batch would do with it. */
export const batchPreviewItemSchema = z.object({
  releaseId: idSchema,
  tenantSlug: z.string(),
  releaseName: z.string(),
  namespace: z.string(),
  fromVersion: z.string().nullable(),
  action: z.enum(["upgrade", "skip", "refuse"]),
  reason: z.string().nullable(),
  plan: upgradePlanSchema.nullable(),
});
export const batchPreviewSchema = z.object({
  dryRun: z.literal(true),
  chartName: z.string(),
  targetVersion: z.string(),
  counts: z.object({ total: z.number(), upgrade: z.number(), skip: z.number(), refuse: z.number() }),
  items: z.array(batchPreviewItemSchema),
});
export type BatchPreview = z.infer<typeof batchPreviewSchema>;

/** A batch in a list: everything but its items, which a 100k-release batch would make huge. */
export const batchSummarySchema = batchSchema.omit({ items: true });
export type BatchSummary = z.infer<typeof batchSummarySchema>;
