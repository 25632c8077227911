import { z } from "zod";
import { MAX_BATCH_CONCURRENCY } from "./batches";
import { chartName, idSchema } from "./common";
import { releaseSchema } from "./releases";
import { slugSchema } from "./tenants";

export const POLICY_MODES = ["auto", "notify"] as const;
export type PolicyMode = (typeof POLICY_MODES)[number];
/** How many releases a preview lists; its counts cover all of them. */
export const POLICY_PREVIEW_RELEASES = 100;

/** A semver range as npm's semver reads it ("~1.3", "^1", ">=1.2 <2"); the domain checks that it parses. */
const semverRange = z.string().trim().min(1).max(200);

export const createPolicyInput = z.object({
  chartName,
  /** The tenant's slug; absent: every tenant without a policy of its own for this chart. */
  tenant: slugSchema.optional(),
  range: semverRange,
  includePrerelease: z.boolean().default(false),
  mode: z.enum(POLICY_MODES).default("auto"),
  canary: z.number().int().min(1).optional(),
  maxFailures: z.number().int().min(1).optional(),
  concurrency: z.number().int().min(1).max(MAX_BATCH_CONCURRENCY).default(1),
  enabled: z.boolean().default(true),
});
export type CreatePolicyInput = z.infer<typeof createPolicyInput>;

/** The chart and tenant are what a policy is; everything else can change (null clears canary and maxFailures). */
export const updatePolicyInput = z
  .object({
    range: semverRange,
    includePrerelease: z.boolean(),
    mode: z.enum(POLICY_MODES),
    canary: z.number().int().min(1).nullable(),
    maxFailures: z.number().int().min(1).nullable(),
    concurrency: z.number().int().min(1).max(MAX_BATCH_CONCURRENCY),
    enabled: z.boolean(),
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: "give at least one field to change" });
export type UpdatePolicyInput = z.infer<typeof updatePolicyInput>;

export const policySchema = z.object({
  id: idSchema,
  chartName: z.string(),
  /** The tenant's slug, or null for a fleet-wide policy. */
  tenant: z.string().nullable(),
  range: z.string(),
  includePrerelease: z.boolean(),
  mode: z.enum(POLICY_MODES),
  canary: z.number().int().nullable(),
  maxFailures: z.number().int().nullable(),
  concurrency: z.number().int(),
  enabled: z.boolean(),
  createdBy: z.string(),
  createdAt: z.string(),
  lastEvaluatedAt: z.string().nullable(),
  lastBatchId: idSchema.nullable(),
});
export type PolicyView = z.infer<typeof policySchema>;

export const policyPreviewSchema = z.object({
  /** The highest published, non-deprecated version in range; null when none is. */
  targetVersion: z.string().nullable(),
  counts: z.object({ total: z.number().int(), inWindow: z.number().int(), outsideWindow: z.number().int() }),
  releases: z.array(releaseSchema),
});
export type PolicyPreview = z.infer<typeof policyPreviewSchema>;
