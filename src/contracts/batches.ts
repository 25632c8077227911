import { z } from "zod";
import { booleanFlag, chartName, idSchema, pageQuery, semverString } from "./common";
import { upgradeOptions, upgradePlanSchema } from "./releases";

export const BATCH_STATUSES = ["QUEUED", "RUNNING", "PAUSED", "SUCCEEDED", "PARTIALLY_FAILED", "FAILED", "CANCELLED"] as const;
export const BATCH_ITEM_STATUSES = ["PENDING", "RUNNING", "UPGRADED", "FAILED", "SKIPPED", "CANCELLED"] as const;
export type BatchStatus = (typeof BATCH_STATUSES)[number];
export type BatchItemStatus = (typeof BATCH_ITEM_STATUSES)[number];
export const FINISHED_BATCH_STATUSES = ["SUCCEEDED", "PARTIALLY_FAILED", "FAILED", "CANCELLED"] as const satisfies readonly BatchStatus[];

/** How many items the batch object carries; the rest are paged through GET …/items. */
export const BATCH_FIRST_PAGE = 100;
export const MAX_BATCH_CONCURRENCY = 32;

/** Query string and JSON body are merged: the body wins. `limit` and `cursor` page a dry run. */
export const batchUpgradeInput = upgradeOptions.omit({ chartVersion: true }).extend({
  chartName,
  targetVersion: semverString,
  tenant: z.string().max(100).optional(),
  dryRun: booleanFlag.default(false),
  ignoreWindows: booleanFlag.default(false),
  async: booleanFlag.default(false),
  maxFailures: z.coerce.number().int().min(1).optional(),
  canary: z.coerce.number().int().min(1).optional(),
  concurrency: z.coerce.number().int().min(1).max(MAX_BATCH_CONCURRENCY).default(1),
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  cursor: z.string().max(500).optional(),
});
export type BatchUpgradeInput = z.infer<typeof batchUpgradeInput>;

/** What a batch keeps of its request: everything that decides how it runs. */
export type BatchOptions = Omit<BatchUpgradeInput, "chartName" | "targetVersion" | "async" | "dryRun" | "limit" | "cursor" | "concurrency"> & {
  /** Absent on batches recorded before concurrency existed: 1. */
  concurrency?: number;
};

/**
 * RUNNING counts as pending and CANCELLED as skipped, so that total = pending + upgraded +
 * failed + skipped; `cancelled` says how many of the skipped were cancelled.
 */
export const batchCountsSchema = z.object({ total: z.number(), pending: z.number(), upgraded: z.number(), failed: z.number(), skipped: z.number(), cancelled: z.number() });
export type BatchCounts = z.infer<typeof batchCountsSchema>;

/**
 * Why a batch skips or refuses a release (and a dry run predicts it), for clients to word
 * themselves beside the server's sentence: the tenant's maintenance window is closed, the
 * values do not match the chart's values schema, or breaking changes are not acknowledged.
 */
export const BATCH_REASON_CODES = ["outside-window", "values-schema", "breaking-changes"] as const;
export type BatchReasonCode = (typeof BATCH_REASON_CODES)[number];

export const batchItemSchema = z.object({
  /** 1-based place in processing order, among the items the caller may see (a tenant's items are 1…n). */
  position: z.number().int(),
  releaseId: idSchema,
  tenantSlug: z.string(),
  releaseName: z.string(),
  namespace: z.string(),
  fromVersion: z.string().nullable(),
  status: z.enum(BATCH_ITEM_STATUSES),
  revision: z.number().nullable(),
  error: z.string().nullable(),
  /** Which of the reasons with a code `error` gives, else null (a failed deploy, an item never attempted …). */
  reasonCode: z.enum(BATCH_REASON_CODES).nullable(),
});
export type BatchItemView = z.infer<typeof batchItemSchema>;

export const batchSchema = z.object({
  id: idSchema,
  kind: z.enum(["upgrade", "rollback"]),
  chartName: z.string(),
  targetVersion: z.string(),
  status: z.enum(BATCH_STATUSES),
  counts: batchCountsSchema,
  /** The first BATCH_FIRST_PAGE items in processing order. */
  items: z.array(batchItemSchema),
  /** Where the next page of items is (GET …/items?cursor=…), or null when `items` is all of them. */
  itemsNext: z.string().nullable(),
  options: z.record(z.string(), z.unknown()),
  rollbackOf: idSchema.nullable(),
  /** The upgrade policy that queued it (its createdBy is then `policy:<id>`); null for batches people started. */
  policyId: idSchema.nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});
export type BatchView = z.infer<typeof batchSchema>;

export const listBatchesQuery = pageQuery;
export type ListBatchesQuery = z.infer<typeof listBatchesQuery>;

export const batchRef = z.object({ batchId: idSchema });

/** A page of a batch's items, in processing order, optionally of one status or tenant. */
export const batchItemsQuery = z.object({
  status: z.enum(BATCH_ITEM_STATUSES).optional(),
  tenant: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(BATCH_FIRST_PAGE),
  cursor: z.string().max(500).optional(),
});
export type BatchItemsQuery = z.infer<typeof batchItemsQuery>;
/** The REST path of a page of items, as `itemsNext` names it. */
export const batchItemsPath = (batchId: string, cursor: string) => `/api/v1/helm/batches/${batchId}/items?cursor=${encodeURIComponent(cursor)}`;
export const batchItemsPageSchema = z.object({ items: batchItemSchema.array(), nextCursor: z.string().nullable() });

/** A batch's own state as one event carries it (items travel as their own events). */
export const batchStateSchema = batchSchema.pick({ id: true, status: true, startedAt: true, finishedAt: true });

/**
 * One entry of a batch's progress, as the caller may see it. `snapshot` is the first event
 * of a fresh stream; `batch` and `item` follow, one per change, in commit order, each with
 * the counts after it.
 */
export const batchEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("snapshot"), batch: batchSchema }),
  z.object({ type: z.literal("batch"), batch: batchStateSchema, counts: batchCountsSchema }),
  z.object({ type: z.literal("item"), item: batchItemSchema, counts: batchCountsSchema }),
]);
export type BatchEvent = z.infer<typeof batchEventSchema>;
/** `id` numbers the events of one caller's view of a batch 1, 2, 3 … without gaps; Last-Event-ID resumes after one. */
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
  reasonCode: z.enum(BATCH_REASON_CODES).nullable(),
  plan: upgradePlanSchema.nullable(),
});
export const batchPreviewSchema = z.object({
  dryRun: z.literal(true),
  chartName: z.string(),
  targetVersion: z.string(),
  /**
   * Over every release the batch would hold; `warn` counts the upgrades that go ahead with a
   * warning, `overQuota` those of them whose `resources` check predicts the tenant's quota
   * will reject them (they would end FAILED, as the refused ones would).
   */
  counts: z.object({ total: z.number(), upgrade: z.number(), skip: z.number(), refuse: z.number(), warn: z.number(), overQuota: z.number() }),
  items: z.array(batchPreviewItemSchema),
  nextCursor: z.string().nullable(),
});
export type BatchPreview = z.infer<typeof batchPreviewSchema>;

/** A batch in a list: everything but its items, which a 100k-release batch would make huge. */
export const batchSummarySchema = batchSchema.omit({ items: true, itemsNext: true });
export type BatchSummary = z.infer<typeof batchSummarySchema>;
