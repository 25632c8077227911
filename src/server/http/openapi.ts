import { z } from "zod";
import { auditEventSchema } from "@/contracts/audit";
import { createTokenInput, tokenSchema } from "@/contracts/auth";
import { BATCH_ITEM_STATUSES, batchItemSchema, batchPreviewSchema, batchSchema, batchSummarySchema, batchUpgradeInput } from "@/contracts/batches";
import { chartVersionDetail, chartVersionSummary, publishChartInput } from "@/contracts/charts";
import {
  installReleaseInput,
  needsUpgradeItem,
  releaseSchema,
  releaseWithRevision,
  revisionSchema,
  rollbackReleaseInput,
  upgradeOptions,
  upgradePlanSchema,
} from "@/contracts/releases";
import { createTenantInput, tenantSchema } from "@/contracts/tenants";
import { createUserInput, userSchema } from "@/contracts/users";

const json = (schema: z.ZodType, io: "input" | "output" = "output") => z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" });

const problem = {
  type: "object",
  required: ["type", "title", "status", "detail"],
  properties: {
    type: { type: "string" },
    title: { type: "string" },
    status: { type: "integer" },
    detail: { type: "string" },
    errors: { type: "array", items: { type: "object", properties: { path: { type: "string" }, message: { type: "string" } } } },
  },
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const content = (schema: unknown) => ({ "application/json": { schema } });
const ok = (schema: unknown, description = "OK") => ({ description, content: content(schema) });
const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [String(c), { description: "Problem", content: { "application/problem+json": { schema: ref("Problem") } } }]));
const body = (schema: unknown) => ({ required: true, content: content(schema) });
const param = (name: string, where: "path" | "query", schema: unknown = { type: "string" }, required = where === "path") => ({ name, in: where, required, schema });
const page = [param("limit", "query", { type: "integer", minimum: 1, maximum: 1000 }), param("cursor", "query")];
const releaseId = param("releaseId", "path", { type: "string", format: "uuid" });
const batchId = param("batchId", "path", { type: "string", format: "uuid" });
const chartName = param("chartName", "path");
const list = (name: string) => ({ type: "array", items: ref(name) });
const batchControl = (verb: string) => ({
  post: { summary: `${verb} a batch`, parameters: [batchId], responses: { "200": ok(ref("Batch")), ...errors(401, 403, 404, 409) } },
});

/** The OpenAPI 3.1 description of /api/v1, built from the same zod contracts the handlers parse with. */
export function openApiDocument() {
  return {
    openapi: "3.1.0",
    info: { title: "Helmdeck API", version: "1", description: "Multi-tenant control plane for Helm releases. Errors are RFC 9457 problem+json." },
    servers: [{ url: "/api/v1" }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
      schemas: {
        Problem: problem,
        Tenant: json(tenantSchema),
        CreateTenant: json(createTenantInput, "input"),
        ChartVersion: json(chartVersionSummary),
        ChartVersionDetail: json(chartVersionDetail),
        PublishChart: json(publishChartInput, "input"),
        Release: json(releaseSchema),
        Revision: json(revisionSchema),
        ReleaseWithRevision: json(releaseWithRevision),
        NeedsUpgradeItem: json(needsUpgradeItem),
        Install: json(installReleaseInput, "input"),
        Upgrade: json(upgradeOptions, "input"),
        Rollback: json(rollbackReleaseInput.omit({ releaseId: true }), "input"),
        UpgradePlan: json(upgradePlanSchema),
        BatchUpgrade: json(batchUpgradeInput.omit({ chartName: true, targetVersion: true }), "input"),
        Batch: json(batchSchema),
        BatchSummary: json(batchSummarySchema),
        BatchItem: json(batchItemSchema),
        BatchPreview: json(batchPreviewSchema),
        AuditEvent: json(auditEventSchema),
        Token: json(tokenSchema),
        CreateToken: json(createTokenInput, "input"),
        User: json(userSchema),
        CreateUser: json(createUserInput, "input"),
      },
    },
    paths: {
      "/tenants": {
        get: { summary: "List tenants", responses: { "200": ok(list("Tenant")), ...errors(401) } },
        post: { summary: "Create a tenant (platform-admin)", requestBody: body(ref("CreateTenant")), responses: { "201": ok(ref("Tenant"), "Created"), ...errors(401, 403, 409, 422) } },
      },
      "/helm/charts": {
        get: { summary: "List charts with their newest version", responses: { "200": ok({ type: "array" }), ...errors(401) } },
        post: {
          summary: "Publish a chart version (JSON) or import a packaged chart (.tgz as application/gzip)",
          requestBody: { required: true, content: { ...content(ref("PublishChart")), "application/gzip": { schema: { type: "string", contentMediaType: "application/gzip" } } } },
          responses: { "201": ok(ref("ChartVersionDetail"), "Created"), "200": ok(ref("ChartVersionDetail"), "Identical version already published"), ...errors(400, 401, 403, 409, 413, 415, 422) },
        },
      },
      "/helm/charts/{chartName}/versions": { get: { summary: "A chart's versions, semver descending", parameters: [chartName], responses: { "200": ok(list("ChartVersion")), ...errors(400, 401) } } },
      "/helm/releases": {
        get: {
          summary: "List releases, newest first (100 a page by default)",
          parameters: [param("tenant", "query"), param("chart", "query"), param("status", "query"), param("version", "query"), ...page],
          responses: { "200": ok(list("Release")), ...errors(400, 401) },
        },
        post: { summary: "Install a release", requestBody: body(ref("Install")), responses: { "201": ok(ref("ReleaseWithRevision"), "Created"), ...errors(400, 401, 403, 404, 409, 413, 422) } },
      },
      "/helm/releases/{releaseId}": { get: { summary: "One release", parameters: [releaseId], responses: { "200": ok(ref("Release")), ...errors(400, 401, 404) } } },
      "/helm/releases/{releaseId}/upgrade": {
        post: {
          summary: "Upgrade a release and wait for the driver",
          parameters: [releaseId],
          requestBody: body(ref("Upgrade")),
          responses: { "200": ok(ref("ReleaseWithRevision"), "Revision recorded (DEPLOYED or FAILED)"), ...errors(400, 401, 403, 404, 409, 413, 422) },
        },
      },
      "/helm/releases/{releaseId}/rollback": {
        post: { summary: "Roll back (default: the last SUPERSEDED revision)", parameters: [releaseId], requestBody: { content: content(ref("Rollback")) }, responses: { "200": ok(ref("ReleaseWithRevision")), ...errors(400, 401, 403, 404, 409, 422) } },
      },
      "/helm/releases/{releaseId}/upgrade-plan": {
        get: { summary: "Plan an upgrade without changing anything", parameters: [releaseId, param("targetVersion", "query", { type: "string" }, true)], responses: { "200": ok(ref("UpgradePlan")), ...errors(400, 401, 404, 422) } },
        post: { summary: "Plan an upgrade with a full upgrade body", parameters: [releaseId], requestBody: body(ref("Upgrade")), responses: { "200": ok(ref("UpgradePlan")), ...errors(400, 401, 404, 422) } },
      },
      "/helm/releases/{releaseId}/revisions": { get: { summary: "Revision history, newest first", parameters: [releaseId], responses: { "200": ok(list("Revision")), ...errors(400, 401, 404) } } },
      "/helm/releases/{releaseId}/revisions/{revision}": {
        get: { summary: "One revision", parameters: [releaseId, param("revision", "path", { type: "integer", minimum: 1 })], responses: { "200": ok(ref("Revision")), ...errors(400, 401, 404) } },
      },
      "/helm/releases/chart/{chartName}/versions": {
        get: { summary: "Releases per deployed chart version, most first", parameters: [chartName], responses: { "200": ok({ type: "object", additionalProperties: { type: "integer" } }), ...errors(400, 401) } },
      },
      "/helm/releases/chart/{chartName}/needs-upgrade": {
        get: {
          summary: "Releases whose deployed version is below the target",
          parameters: [chartName, param("targetVersion", "query", { type: "string" }, true), param("tenant", "query"), ...page],
          responses: { "200": ok(list("NeedsUpgradeItem")), ...errors(400, 401) },
        },
      },
      "/helm/releases/chart/{chartName}/batch-upgrade": {
        post: {
          summary: "Upgrade every release below the target (platform-admin)",
          parameters: [chartName, param("targetVersion", "query", { type: "string" }, true), param("async", "query", { type: "boolean" }), param("dryRun", "query", { type: "boolean" })],
          requestBody: { content: content(ref("BatchUpgrade")) },
          responses: {
            "200": ok({ oneOf: [list("Release"), ref("BatchPreview")] }, "Releases upgraded (Location names the batch), or with dryRun=true a page of the plan (limit, cursor)"),
            "202": ok(ref("Batch"), "Accepted (async=true)"),
            ...errors(400, 401, 403, 422),
            "503": { description: "The server began a clean stop while the synchronous batch ran: it goes on, at Location", content: { "application/problem+json": { schema: ref("Problem") } } },
          },
        },
      },
      "/helm/batches": { get: { summary: "Batches, newest first", parameters: page, responses: { "200": ok(list("BatchSummary")), ...errors(401) } } },
      "/helm/batches/{batchId}": {
        get: { summary: "One batch: counts, its first 100 items and itemsNext", parameters: [batchId], responses: { "200": ok(ref("Batch")), ...errors(400, 401, 404) } },
      },
      "/helm/batches/{batchId}/items": {
        get: {
          summary: "A batch's items in processing order, a page at a time (Link: rel=next)",
          parameters: [batchId, param("status", "query", { type: "string", enum: [...BATCH_ITEM_STATUSES] }), param("tenant", "query"), ...page],
          responses: { "200": ok(list("BatchItem")), ...errors(400, 401, 404) },
        },
      },
      "/helm/batches/{batchId}/events": {
        get: {
          summary: "Live progress (server-sent events); Last-Event-ID resumes",
          parameters: [batchId, param("lastEventId", "query", { type: "integer", minimum: 0 })],
          responses: { "200": { description: "text/event-stream", content: { "text/event-stream": {} } }, ...errors(400, 401, 404, 429) },
        },
      },
      "/helm/batches/{batchId}/cancel": batchControl("Cancel"),
      "/helm/batches/{batchId}/pause": batchControl("Pause"),
      "/helm/batches/{batchId}/resume": batchControl("Resume"),
      "/helm/batches/{batchId}/rollback": batchControl("Roll back"),
      "/audit": { get: { summary: "Audit events, newest first (100 a page by default)", parameters: [param("tenant", "query"), param("action", "query"), ...page], responses: { "200": ok(list("AuditEvent")), ...errors(400, 401) } } },
      "/tokens": {
        get: { summary: "API tokens (platform-admin)", responses: { "200": ok(list("Token")), ...errors(401, 403) } },
        post: { summary: "Create an API token; the secret is returned once", requestBody: body(ref("CreateToken")), responses: { "201": ok(ref("Token"), "Created"), ...errors(401, 403, 422) } },
      },
      "/tokens/{id}": { delete: { summary: "Revoke an API token", parameters: [param("id", "path", { type: "string", format: "uuid" })], responses: { "204": { description: "Revoked" }, ...errors(401, 403, 404) } } },
      "/users": {
        get: { summary: "UI users, disabled ones included (platform-admin)", responses: { "200": ok(list("User")), ...errors(401, 403) } },
        post: {
          summary: "Create a UI user; without a password it can only sign in through OIDC",
          requestBody: body(ref("CreateUser")),
          responses: { "201": ok(ref("User"), "Created"), ...errors(401, 403, 409, 422) },
        },
      },
      "/users/{id}": {
        delete: {
          summary: "Disable a UI user (kept for the audit trail); the last active platform-admin cannot be disabled",
          parameters: [param("id", "path", { type: "string", format: "uuid" })],
          responses: { "204": { description: "Disabled" }, ...errors(401, 403, 404, 409) },
        },
      },
    },
  };
}
