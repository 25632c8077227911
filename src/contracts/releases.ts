import { z } from "zod";
import { chartName, dnsLabel, idSchema, pageQuery, semverString, valuesObject } from "./common";

export const RELEASE_STATUSES = [
  "PENDING_INSTALL",
  "PENDING_UPGRADE",
  "PENDING_ROLLBACK",
  "DEPLOYED",
  "SUPERSEDED",
  "FAILED",
  "UNINSTALLED",
] as const;
export const releaseStatus = z.enum(RELEASE_STATUSES);
export type ReleaseStatus = z.infer<typeof releaseStatus>;
export const PENDING_STATUSES = ["PENDING_INSTALL", "PENDING_UPGRADE", "PENDING_ROLLBACK"] as const satisfies readonly ReleaseStatus[];

export const OPERATIONS = ["install", "upgrade", "rollback"] as const;
export type Operation = (typeof OPERATIONS)[number];

export const VALUES_STRATEGIES = ["reset-then-reuse", "reuse", "reset"] as const;
export const valuesStrategy = z.enum(VALUES_STRATEGIES);
export type ValuesStrategy = z.infer<typeof valuesStrategy>;

export const UPGRADE_TYPES = ["major", "minor", "patch", "prerelease"] as const;
export type UpgradeType = (typeof UPGRADE_TYPES)[number];

const description = z.string().max(1000);

export const installReleaseInput = z.object({
  tenantId: idSchema,
  name: dnsLabel.max(53),
  namespace: dnsLabel,
  chartName,
  chartVersion: semverString,
  valuesOverride: valuesObject.optional(),
  description: description.optional(),
});
export type InstallReleaseInput = z.infer<typeof installReleaseInput>;

/** The body of an upgrade; a batch applies the same fields to every release. */
export const upgradeOptions = z.object({
  chartVersion: semverString,
  appVersion: z.string().trim().min(1).max(200).optional(),
  valuesOverride: valuesObject.optional(),
  description: description.optional(),
  valuesStrategy: valuesStrategy.default("reset-then-reuse"),
  atomic: z.boolean().default(false),
  acknowledgeBreakingChanges: z.boolean().default(false),
});
export type UpgradeOptions = z.infer<typeof upgradeOptions>;

export const upgradeReleaseInput = upgradeOptions.extend({ releaseId: idSchema });
export type UpgradeReleaseInput = z.infer<typeof upgradeReleaseInput>;

export const rollbackReleaseInput = z.object({
  releaseId: idSchema,
  revision: z.number().int().min(1).optional(),
  description: description.optional(),
});
export type RollbackReleaseInput = z.infer<typeof rollbackReleaseInput>;

export const listReleasesQuery = pageQuery.extend({
  tenant: z.string().max(100).optional(),
  chart: chartName.optional(),
  status: releaseStatus.optional(),
  version: z.string().max(256).optional(),
  q: z.string().max(100).optional(),
});
export type ListReleasesQuery = z.infer<typeof listReleasesQuery>;

export const releaseSchema = z.object({
  id: idSchema,
  tenantId: idSchema,
  tenantSlug: z.string(),
  name: z.string(),
  namespace: z.string(),
  chartName: z.string(),
  chartVersion: z.string().nullable(),
  appVersion: z.string().nullable(),
  revision: z.number().nullable(),
  latestRevision: z.number(),
  status: releaseStatus,
  updatedAt: z.string(),
});
export type ReleaseView = z.infer<typeof releaseSchema>;

export const revisionSchema = z.object({
  revision: z.number(),
  chartVersion: z.string(),
  appVersion: z.string(),
  status: releaseStatus,
  operation: z.enum(OPERATIONS),
  description: z.string(),
  valuesOverride: z.record(z.string(), z.unknown()),
  userValues: z.record(z.string(), z.unknown()),
  values: z.record(z.string(), z.unknown()),
  error: z.string().nullable(),
  actor: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type RevisionView = z.infer<typeof revisionSchema>;

export const releaseWithRevision = z.object({ release: releaseSchema, revision: revisionSchema });
export type ReleaseWithRevision = z.infer<typeof releaseWithRevision>;

export const CHECK_IDS = ["breaking-changes", "values-compatible", "resources", "tested-in-development", "upgrade-window"] as const;
export const checkSchema = z.object({
  id: z.enum(CHECK_IDS),
  status: z.enum(["pass", "warn", "fail"]),
  message: z.string(),
  details: z.array(z.unknown()).optional(),
});
export type UpgradeCheck = z.infer<typeof checkSchema>;

export const diffEntry = z.object({
  path: z.string(),
  op: z.enum(["added", "changed", "removed"]),
  from: z.unknown().optional(),
  to: z.unknown().optional(),
});
export type DiffEntry = z.infer<typeof diffEntry>;

export const upgradePlanSchema = z.object({
  releaseId: idSchema,
  currentVersion: z.string().nullable(),
  targetVersion: z.string(),
  upgradeType: z.enum(UPGRADE_TYPES).nullable(),
  values: z.record(z.string(), z.unknown()),
  diff: z.array(diffEntry),
  checks: z.array(checkSchema),
});
export type UpgradePlan = z.infer<typeof upgradePlanSchema>;

export const needsUpgradeQuery = pageQuery.extend({
  targetVersion: semverString,
  tenant: z.string().max(100).optional(),
});
export const needsUpgradeItem = releaseSchema.extend({ upgradeType: z.enum(UPGRADE_TYPES) });
export type NeedsUpgradeItem = z.infer<typeof needsUpgradeItem>;
