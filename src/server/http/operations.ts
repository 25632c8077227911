import { z } from "zod";
import { auditEventSchema, listAuditQuery } from "@/contracts/audit";
import { createdTokenSchema, createTokenInput, tokenSchema } from "@/contracts/auth";
import { batchItemSchema, batchItemsQuery, batchPreviewSchema, batchSchema, batchSummarySchema, batchUpgradeInput, listBatchesQuery } from "@/contracts/batches";
import { CHART_ARCHIVE_TYPES, chartSummary, chartVersionDetail, chartVersionSummary, publishChartInput } from "@/contracts/charts";
import {
  installReleaseInput,
  listReleasesQuery,
  needsUpgradeItem,
  needsUpgradeQuery,
  releaseSchema,
  releaseWithRevision,
  revisionSchema,
  rollbackReleaseInput,
  upgradeOptions,
  upgradePlanSchema,
} from "@/contracts/releases";
import { createPolicyInput, policyPreviewSchema, policySchema, updatePolicyInput } from "@/contracts/policies";
import { problemSchema } from "@/contracts/problem";
import { createRepositoryInput, repositorySchema, repositorySyncResultSchema, updateRepositoryInput } from "@/contracts/repositories";
import { createTenantInput, tenantSchema } from "@/contracts/tenants";
import { createUserInput, userSchema } from "@/contracts/users";
import { createdWebhookSchema, createWebhookInput, deliverySchema, listDeliveriesQuery, updateWebhookInput, webhookSchema } from "@/contracts/webhooks";
import type { OperationSpec } from "./operation-spec";
import {
  asyncQuery,
  batchIdParams,
  chartNameParams,
  chartVersionParams,
  eventStreamQuery,
  idParams,
  releaseIdParams,
  revisionParams,
  tenantIdParams,
  upgradePlanBodyQuery,
  upgradePlanQuery,
} from "./params";

/** Schemas that the document names (components/schemas/<id>) and references wherever they appear. */
export const namedSchemas = z.registry<{ id: string }>();
const named = <S extends z.ZodType>(id: string, schema: S): S => {
  namedSchemas.add(schema, { id });
  return schema;
};

export const Problem = named("Problem", problemSchema);
const Tenant = named("Tenant", tenantSchema);
const CreateTenant = named("CreateTenant", createTenantInput);
const ChartSummary = named("ChartSummary", chartSummary);
const ChartVersion = named("ChartVersion", chartVersionSummary);
const ChartVersionDetail = named("ChartVersionDetail", chartVersionDetail);
const PublishChart = named("PublishChart", publishChartInput);
const Release = named("Release", releaseSchema);
const Revision = named("Revision", revisionSchema);
const ReleaseWithRevision = named("ReleaseWithRevision", releaseWithRevision);
const NeedsUpgradeItem = named("NeedsUpgradeItem", needsUpgradeItem);
const Install = named("Install", installReleaseInput);
const Upgrade = named("Upgrade", upgradeOptions);
const Rollback = named("Rollback", rollbackReleaseInput.omit({ releaseId: true }));
const UpgradePlan = named("UpgradePlan", upgradePlanSchema);
const Batch = named("Batch", batchSchema);
const BatchSummary = named("BatchSummary", batchSummarySchema);
const BatchItem = named("BatchItem", batchItemSchema);
const BatchPreview = named("BatchPreview", batchPreviewSchema);
const BatchUpgrade = named("BatchUpgrade", batchUpgradeInput.omit({ chartName: true, targetVersion: true }));
const AuditEvent = named("AuditEvent", auditEventSchema);
const Token = named("Token", tokenSchema);
// Over REST an Idempotency-Key replay answers the token without its value (shown once only).
const CreatedToken = named("CreatedToken", createdTokenSchema.extend({ token: createdTokenSchema.shape.token.optional().describe("The secret, in the first answer only; absent from an idempotent replay") }));
const CreateToken = named("CreateToken", createTokenInput);
const User = named("User", userSchema);
const Repository = named("Repository", repositorySchema);
const CreateRepository = named("CreateRepository", createRepositoryInput);
const UpdateRepository = named("UpdateRepository", updateRepositoryInput);
const RepositorySyncResult = named("RepositorySyncResult", repositorySyncResultSchema);
const Policy = named("Policy", policySchema);
const CreatePolicy = named("CreatePolicy", createPolicyInput);
const UpdatePolicy = named("UpdatePolicy", updatePolicyInput);
const PolicyPreview = named("PolicyPreview", policyPreviewSchema);
const CreateUser = named("CreateUser", createUserInput);
const Webhook = named("Webhook", webhookSchema);
const CreatedWebhook = named("CreatedWebhook", createdWebhookSchema);
const CreateWebhook = named("CreateWebhook", createWebhookInput);
const UpdateWebhook = named("UpdateWebhook", updateWebhookInput);
const WebhookDelivery = named("WebhookDelivery", deliverySchema);

/** A batch request reads its options from the query string too (the body wins). */
const batchUpgradeQuery = batchUpgradeInput.pick({
  targetVersion: true,
  tenant: true,
  dryRun: true,
  ignoreWindows: true,
  async: true,
  maxFailures: true,
  canary: true,
  concurrency: true,
  limit: true,
  cursor: true,
});

const batchControl = <A extends string>(verb: string, action: A) =>
  ({
    method: "POST",
    path: `/helm/batches/{batchId}/${action}`,
    tag: "Batches",
    summary: `${verb} a batch`,
    platformAdminOnly: `${action} batches`,
    params: batchIdParams,
    responses: { 200: { description: "The batch after the change", body: Batch } },
    problems: [404, 409],
  }) as const satisfies OperationSpec;

/**
 * Every operation of /api/v1, declared once: the OpenAPI document is generated from this
 * table, route handlers are bound to its entries by operationId, and the contract test
 * checks every answer of the HTTP test suite against it. A new endpoint is one entry here
 * and one route.ts that implements it.
 */
export const operations = {
  listTenants: { method: "GET", path: "/tenants", tag: "Tenants", summary: "List the tenants the caller may see", responses: { 200: { description: "Tenants by slug", body: z.array(Tenant) } } },
  createTenant: {
    method: "POST",
    path: "/tenants",
    tag: "Tenants",
    summary: "Create a tenant",
    platformAdminOnly: "create tenants",
    body: { json: CreateTenant, required: true },
    responses: { 201: { description: "Created", body: Tenant, headers: ["Location"] } },
    problems: [409],
  },
  getTenant: { method: "GET", path: "/tenants/{tenantId}", tag: "Tenants", summary: "One tenant", params: tenantIdParams, responses: { 200: { description: "The tenant", body: Tenant } }, problems: [404] },

  listCharts: { method: "GET", path: "/helm/charts", tag: "Charts", summary: "Charts with their newest version", responses: { 200: { description: "Charts by name", body: z.array(ChartSummary) } } },
  publishChartVersion: {
    method: "POST",
    path: "/helm/charts",
    tag: "Charts",
    summary: "Publish a chart version (JSON) or import a packaged chart (.tgz)",
    description: "Chart versions are immutable: the same name and version again answers 200 when identical, 409 otherwise.",
    platformAdminOnly: "publish charts",
    body: {
      json: PublishChart,
      required: true,
      other: Object.fromEntries(CHART_ARCHIVE_TYPES.map((type) => [type, { description: "The packaged chart (.tgz): Chart.yaml, values.yaml, values.schema.json and Artifact Hub annotations are read from it" }])),
      maxBytes: 10 * 1024 * 1024,
    },
    responses: {
      201: { description: "Published", body: ChartVersionDetail, headers: ["Location"] },
      200: { description: "An identical version was already published", body: ChartVersionDetail, headers: ["Location"] },
    },
    problems: [409],
  },
  listChartVersions: {
    method: "GET",
    path: "/helm/charts/{chartName}/versions",
    tag: "Charts",
    summary: "A chart's versions, semver descending",
    params: chartNameParams,
    responses: { 200: { description: "Versions; an unknown chart has none", body: z.array(ChartVersion) } },
  },
  getChartVersion: {
    method: "GET",
    path: "/helm/charts/{chartName}/versions/{version}",
    tag: "Charts",
    summary: "One chart version with its default values, values schema and changes",
    params: chartVersionParams,
    responses: { 200: { description: "The chart version", body: ChartVersionDetail } },
    problems: [404],
  },

  listReleases: {
    method: "GET",
    path: "/helm/releases",
    tag: "Releases",
    summary: "List releases, newest first (100 a page by default)",
    query: listReleasesQuery,
    paged: true,
    responses: { 200: { description: "A page of releases", body: z.array(Release) } },
  },
  installRelease: {
    method: "POST",
    path: "/helm/releases",
    tag: "Releases",
    summary: "Install a release and wait for the driver",
    body: { json: Install, required: true },
    responses: { 201: { description: "Installed (its first revision DEPLOYED or FAILED)", body: ReleaseWithRevision, headers: ["Location"] } },
    problems: [404, 409],
  },
  getRelease: { method: "GET", path: "/helm/releases/{releaseId}", tag: "Releases", summary: "One release", params: releaseIdParams, responses: { 200: { description: "The release", body: Release } }, problems: [404] },
  upgradeRelease: {
    method: "POST",
    path: "/helm/releases/{releaseId}/upgrade",
    tag: "Releases",
    summary: "Upgrade a release and wait for the driver",
    params: releaseIdParams,
    body: { json: Upgrade, required: true },
    responses: { 200: { description: "Revision recorded (DEPLOYED or FAILED)", body: ReleaseWithRevision } },
    problems: [404, 409],
  },
  rollbackRelease: {
    method: "POST",
    path: "/helm/releases/{releaseId}/rollback",
    tag: "Releases",
    summary: "Roll back (default: to the last SUPERSEDED revision)",
    params: releaseIdParams,
    body: { json: Rollback, required: false },
    responses: { 200: { description: "Revision recorded (DEPLOYED or FAILED)", body: ReleaseWithRevision } },
    problems: [404, 409],
  },
  planUpgrade: {
    method: "GET",
    path: "/helm/releases/{releaseId}/upgrade-plan",
    tag: "Releases",
    summary: "Plan an upgrade without changing anything",
    params: releaseIdParams,
    query: upgradePlanQuery,
    responses: { 200: { description: "Computed values, diff and the five checks", body: UpgradePlan } },
    problems: [404, 422],
  },
  planUpgradeWithBody: {
    method: "POST",
    path: "/helm/releases/{releaseId}/upgrade-plan",
    tag: "Releases",
    summary: "Plan an upgrade with a full upgrade body, without changing anything",
    params: releaseIdParams,
    query: upgradePlanBodyQuery,
    body: { json: Upgrade, required: true },
    responses: { 200: { description: "Computed values, diff and the five checks", body: UpgradePlan } },
    problems: [404],
  },
  listRevisions: {
    method: "GET",
    path: "/helm/releases/{releaseId}/revisions",
    tag: "Releases",
    summary: "Revision history, newest first",
    params: releaseIdParams,
    responses: { 200: { description: "Every revision of the release", body: z.array(Revision) } },
    problems: [404],
  },
  getRevision: {
    method: "GET",
    path: "/helm/releases/{releaseId}/revisions/{revision}",
    tag: "Releases",
    summary: "One revision",
    params: revisionParams,
    responses: { 200: { description: "The revision", body: Revision } },
    problems: [404],
  },

  countReleasesByVersion: {
    method: "GET",
    path: "/helm/releases/chart/{chartName}/versions",
    tag: "Fleet",
    summary: "Releases per deployed chart version, most first",
    params: chartNameParams,
    responses: { 200: { description: 'e.g. `{"1.2.0": 15, "1.3.0": 8}`; `{}` for a chart with no releases', body: z.record(z.string(), z.number().int()) } },
  },
  findReleasesNeedingUpgrade: {
    method: "GET",
    path: "/helm/releases/chart/{chartName}/needs-upgrade",
    tag: "Fleet",
    summary: "Releases whose deployed version is below the target, in rollout order",
    params: chartNameParams,
    query: needsUpgradeQuery,
    paged: true,
    responses: { 200: { description: "A page of releases, each with its upgradeType", body: z.array(NeedsUpgradeItem) } },
  },
  batchUpgrade: {
    method: "POST",
    path: "/helm/releases/chart/{chartName}/batch-upgrade",
    tag: "Fleet",
    summary: "Upgrade every release below the target, as one durable batch",
    description:
      "Options come from the query string or the JSON body (the body wins). `concurrency` (1–32) runs that many items at once within an environment wave. `dryRun` answers a page of the plan (`limit`, default 100, after `cursor`) with counts over every release, without changing anything; `async` answers 202 at once. A synchronous request still waiting when the server begins a clean stop answers 503 with the batch's Location.",
    platformAdminOnly: "run batch upgrades",
    params: chartNameParams,
    query: batchUpgradeQuery,
    body: { json: BatchUpgrade, required: false },
    responses: {
      200: { description: "The releases upgraded once the batch has ended (Location names the batch), or the dry run's plan", body: z.union([z.array(Release), BatchPreview]), headers: ["Location"] },
      202: { description: "Accepted (async=true): the batch, running in the background", body: Batch, headers: ["Location"] },
    },
    problems: [503],
  },

  listBatches: {
    method: "GET",
    path: "/helm/batches",
    tag: "Batches",
    summary: "Batches, newest first (without their items)",
    query: listBatchesQuery,
    paged: true,
    responses: { 200: { description: "A page of batches", body: z.array(BatchSummary) } },
  },
  getBatch: {
    method: "GET",
    path: "/helm/batches/{batchId}",
    tag: "Batches",
    summary: "One batch: its counts, its first 100 items and where the next page is (itemsNext)",
    params: batchIdParams,
    responses: { 200: { description: "The batch", body: Batch } },
    problems: [404],
  },
  listBatchItems: {
    method: "GET",
    path: "/helm/batches/{batchId}/items",
    tag: "Batches",
    summary: "A batch's items in processing order, by status and tenant",
    description: "`limit` at most 1000 (default 100). A tenant-scoped caller sees its own items only, numbered 1…n.",
    params: batchIdParams,
    query: batchItemsQuery,
    paged: true,
    responses: { 200: { description: "A page of items", body: z.array(BatchItem) } },
    problems: [404],
  },
  streamBatchEvents: {
    method: "GET",
    path: "/helm/batches/{batchId}/events",
    tag: "Batches",
    summary: "Live progress as server-sent events, ending when the batch ends",
    params: batchIdParams,
    query: eventStreamQuery,
    requestHeaders: ["Last-Event-ID"],
    responses: {
      200: {
        description: "The event stream",
        stream: {
          contentType: "text/event-stream",
          description:
            "First a `snapshot` event with the batch, then a `batch` or `item` event per change, each with the counts after it; each `data:` is JSON and each `id:` (1, 2, 3 … in the caller's view, without gaps) can be sent back as Last-Event-ID.",
        },
      },
    },
    problems: [404, 429],
  },
  cancelBatch: batchControl("Cancel", "cancel"),
  pauseBatch: batchControl("Pause", "pause"),
  resumeBatch: batchControl("Resume", "resume"),
  rollbackBatch: {
    method: "POST",
    path: "/helm/batches/{batchId}/rollback",
    tag: "Batches",
    summary: "Roll back every release the batch upgraded (itself a batch)",
    platformAdminOnly: "roll back batches",
    params: batchIdParams,
    query: asyncQuery,
    responses: {
      200: { description: "The rollback batch once it has ended", body: Batch, headers: ["Location"] },
      202: { description: "Accepted (async=true): the rollback batch", body: Batch, headers: ["Location"] },
    },
    problems: [404, 409, 503],
  },

  listWebhooks: {
    method: "GET",
    path: "/webhooks",
    tag: "Webhooks",
    summary: "Webhooks the caller manages (a tenant-admin: its tenant's)",
    responses: { 200: { description: "Webhooks, newest first; never their secrets", body: z.array(Webhook) } },
    problems: [403],
  },
  createWebhook: {
    method: "POST",
    path: "/webhooks",
    tag: "Webhooks",
    summary: "Subscribe a URL to events",
    description:
      "A platform-admin's webhook receives every tenant's events, or one tenant's with `tenant`; a tenant-admin's receives its own tenant's only. A `secret` given is never answered; without one Helmdeck generates one and answers it in `secret` this once (an idempotent replay does not repeat it).",
    body: { json: CreateWebhook, required: true },
    responses: { 201: { description: "Created", body: CreatedWebhook, headers: ["Location"] } },
    problems: [403],
  },
  getWebhook: {
    method: "GET",
    path: "/webhooks/{id}",
    tag: "Webhooks",
    summary: "One webhook (never its secret)",
    params: idParams,
    responses: { 200: { description: "The webhook", body: Webhook } },
    problems: [403, 404],
  },
  updateWebhook: {
    method: "PATCH",
    path: "/webhooks/{id}",
    tag: "Webhooks",
    summary: "Change a webhook's URL, events, secret or enabled flag",
    params: idParams,
    body: { json: UpdateWebhook, required: true },
    responses: { 200: { description: "The webhook after the change", body: Webhook } },
    problems: [403, 404],
  },
  deleteWebhook: {
    method: "DELETE",
    path: "/webhooks/{id}",
    tag: "Webhooks",
    summary: "Delete a webhook and its delivery history",
    params: idParams,
    responses: { 204: { description: "Deleted" } },
    problems: [403, 404],
  },
  listWebhookDeliveries: {
    method: "GET",
    path: "/webhooks/{id}/deliveries",
    tag: "Webhooks",
    summary: "A webhook's deliveries, newest first (50 a page by default)",
    params: idParams,
    query: listDeliveriesQuery,
    paged: true,
    responses: { 200: { description: "A page of deliveries", body: z.array(WebhookDelivery) } },
    problems: [403, 404],
  },
  testWebhook: {
    method: "POST",
    path: "/webhooks/{id}/test",
    tag: "Webhooks",
    summary: "Send a `webhook.test` event to this webhook",
    params: idParams,
    responses: { 202: { description: "Queued: the delivery, to follow in the deliveries list", body: WebhookDelivery } },
    problems: [403, 404],
  },

  listAuditEvents: {
    method: "GET",
    path: "/audit",
    tag: "Audit",
    summary: "Who did what, newest first (100 a page by default)",
    query: listAuditQuery,
    paged: true,
    responses: { 200: { description: "A page of audit events", body: z.array(AuditEvent) } },
  },

  listTokens: { method: "GET", path: "/tokens", tag: "Tokens", summary: "API tokens", platformAdminOnly: "manage API tokens", responses: { 200: { description: "Tokens, newest first", body: z.array(Token) } } },
  createToken: {
    method: "POST",
    path: "/tokens",
    tag: "Tokens",
    summary: "Create an API token; its secret is answered once",
    description: "The `token` value is in this answer only (an idempotent replay does not repeat it). Helmdeck keeps only its hash.",
    platformAdminOnly: "manage API tokens",
    body: { json: CreateToken, required: true },
    responses: { 201: { description: "Created", body: CreatedToken, headers: ["Location"] } },
  },
  getToken: {
    method: "GET",
    path: "/tokens/{id}",
    tag: "Tokens",
    summary: "One API token (never its secret)",
    platformAdminOnly: "manage API tokens",
    params: idParams,
    responses: { 200: { description: "The token", body: Token } },
    problems: [404],
  },
  revokeToken: {
    method: "DELETE",
    path: "/tokens/{id}",
    tag: "Tokens",
    summary: "Revoke an API token",
    platformAdminOnly: "manage API tokens",
    params: idParams,
    responses: { 204: { description: "Revoked" } },
    problems: [404],
  },

  listUsers: { method: "GET", path: "/users", tag: "Users", summary: "UI users, disabled ones included", platformAdminOnly: "manage users", responses: { 200: { description: "Users, newest first", body: z.array(User) } } },
  createUser: {
    method: "POST",
    path: "/users",
    tag: "Users",
    summary: "Create a UI user; without a password it can only sign in through single sign-on",
    platformAdminOnly: "manage users",
    body: { json: CreateUser, required: true },
    responses: { 201: { description: "Created", body: User, headers: ["Location"] } },
    problems: [409],
  },
  getUser: {
    method: "GET",
    path: "/users/{id}",
    tag: "Users",
    summary: "One UI user",
    platformAdminOnly: "manage users",
    params: idParams,
    responses: { 200: { description: "The user", body: User } },
    problems: [404],
  },
  disableUser: {
    method: "DELETE",
    path: "/users/{id}",
    tag: "Users",
    summary: "Disable a UI user (kept for the audit trail)",
    description: "The last active platform-admin cannot be disabled (409).",
    platformAdminOnly: "manage users",
    params: idParams,
    responses: { 204: { description: "Disabled" } },
    problems: [404, 409],
  },

  listRepositories: {
    method: "GET",
    path: "/helm/repositories",
    tag: "Repositories",
    summary: "Chart repositories, newest first",
    platformAdminOnly: "manage chart repositories",
    responses: { 200: { description: "Repositories", body: z.array(Repository) } },
  },
  createRepository: {
    method: "POST",
    path: "/helm/repositories",
    tag: "Repositories",
    summary: "Add a Helm HTTP chart repository (<url>/index.yaml), synced every intervalSeconds",
    platformAdminOnly: "manage chart repositories",
    body: { json: CreateRepository, required: true },
    responses: { 201: { description: "Created", body: Repository, headers: ["Location"] } },
    problems: [409],
  },
  getRepository: {
    method: "GET",
    path: "/helm/repositories/{id}",
    tag: "Repositories",
    summary: "One chart repository with its last sync and error",
    platformAdminOnly: "manage chart repositories",
    params: idParams,
    responses: { 200: { description: "The repository", body: Repository } },
    problems: [404],
  },
  updateRepository: {
    method: "PATCH",
    path: "/helm/repositories/{id}",
    tag: "Repositories",
    summary: "Change a chart repository's name, URL, interval or enabled flag",
    platformAdminOnly: "manage chart repositories",
    params: idParams,
    body: { json: UpdateRepository, required: true },
    responses: { 200: { description: "The repository after the change", body: Repository } },
    problems: [404, 409],
  },
  deleteRepository: {
    method: "DELETE",
    path: "/helm/repositories/{id}",
    tag: "Repositories",
    summary: "Remove a chart repository (the chart versions it imported stay published)",
    platformAdminOnly: "manage chart repositories",
    params: idParams,
    responses: { 204: { description: "Removed" } },
    problems: [404],
  },
  syncRepository: {
    method: "POST",
    path: "/helm/repositories/{id}/sync",
    tag: "Repositories",
    summary: "Sync a chart repository now",
    description:
      "Reads index.yaml and imports every chart version not yet published: its archive is downloaded, checked against the index's sha256 digest and imported under the same rules as a .tgz upload. A known version whose digest differs is an error entry, never an overwrite. A repository that cannot be read answers 200 with no entries; its lastError says why. 409 while another sync of it runs.",
    platformAdminOnly: "sync chart repositories",
    params: idParams,
    responses: { 200: { description: "What the sync imported, left unchanged and could not import", body: RepositorySyncResult } },
    problems: [404, 409],
  },

  listPolicies: {
    method: "GET",
    path: "/helm/policies",
    tag: "Policies",
    summary: "Upgrade policies the caller may see, newest first",
    description: "A tenant-scoped caller sees its own tenant's policies only.",
    responses: { 200: { description: "Policies", body: z.array(Policy) } },
  },
  createPolicy: {
    method: "POST",
    path: "/helm/policies",
    tag: "Policies",
    summary: "Create an upgrade policy for a chart in one tenant (tenant) or every tenant without its own",
    description: "Platform admins for any tenant or the fleet; a tenant-admin for its own tenant only. One policy per chart and tenant, one fleet policy per chart (409).",
    body: { json: CreatePolicy, required: true },
    responses: { 201: { description: "Created", body: Policy, headers: ["Location"] } },
    problems: [409],
  },
  getPolicy: {
    method: "GET",
    path: "/helm/policies/{id}",
    tag: "Policies",
    summary: "One upgrade policy",
    params: idParams,
    responses: { 200: { description: "The policy", body: Policy } },
    problems: [404],
  },
  updatePolicy: {
    method: "PATCH",
    path: "/helm/policies/{id}",
    tag: "Policies",
    summary: "Change an upgrade policy (its chart and tenant stay)",
    params: idParams,
    body: { json: UpdatePolicy, required: true },
    responses: { 200: { description: "The policy after the change", body: Policy } },
    problems: [404],
  },
  deletePolicy: {
    method: "DELETE",
    path: "/helm/policies/{id}",
    tag: "Policies",
    summary: "Remove an upgrade policy (its batches stay)",
    params: idParams,
    responses: { 204: { description: "Removed" } },
    problems: [404],
  },
  previewPolicy: {
    method: "GET",
    path: "/helm/policies/{id}/preview",
    tag: "Policies",
    summary: "What the policy would upgrade now: its target, counts by window, and the first 100 releases",
    params: idParams,
    responses: { 200: { description: "The preview", body: PolicyPreview } },
    problems: [404],
  },

  getOpenApiDocument: {
    method: "GET",
    path: "/openapi.json",
    tag: "Meta",
    summary: "This OpenAPI 3.1 document",
    public: true,
    undocumented: true,
    responses: { 200: { description: "The document", body: z.record(z.string(), z.unknown()) } },
  },
} as const satisfies Record<string, OperationSpec>;

export type Operations = typeof operations;
export type OperationId = keyof Operations;
export type ApiPath = Operations[OperationId]["path"];
