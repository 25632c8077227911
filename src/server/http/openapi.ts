import { z } from "zod";
import { valuesObject } from "@/contracts/common";
import { MAX_REDIRECT_URL_LENGTH } from "@/contracts/redirects";
import { RESPONSE_HEADERS, type OperationSpec, type ResponseHeader, type Tag } from "./operation-spec";
import { namedSchemas, operations, Problem } from "./operations";

type Json = Record<string, unknown>;

const PROBLEM_TYPE = "application/problem+json";

/** Every problem status the API answers, each one shared response in the document. */
const PROBLEMS: Record<number, { name: string; description: string; headers?: ResponseHeader[] }> = {
  400: { name: "BadRequest", description: "Malformed path or query values, malformed JSON, or a bad Idempotency-Key" },
  401: { name: "Unauthorized", description: "No credentials, or a bearer token that is invalid, expired or revoked", headers: ["WWW-Authenticate"] },
  403: { name: "Forbidden", description: "The caller's role may not do this (or a session-cookie change came from another site)" },
  404: { name: "NotFound", description: "No such resource, or it belongs to another tenant" },
  409: { name: "Conflict", description: "Conflicts with the current state (an operation in progress, a duplicate, a request with this Idempotency-Key still running)" },
  413: { name: "PayloadTooLarge", description: "The body is larger than this endpoint accepts" },
  415: { name: "UnsupportedMediaType", description: "The body's Content-Type is not accepted here" },
  422: { name: "UnprocessableContent", description: "Invalid input (with `errors`), a refused check, or an Idempotency-Key reused with another body" },
  429: { name: "TooManyRequests", description: "The caller holds too many of these open at once (event streams)" },
  500: { name: "InternalError", description: 'A failure nobody anticipated: `detail` is "internal error" and `requestId` names the log lines that say more' },
  503: {
    name: "ServiceUnavailable",
    description: "This instance is stopping and takes no new changes: retry, another instance answers. A synchronous batch it was running goes on; Location says where to follow it.",
    headers: ["Retry-After", "Location"],
  },
};

const TAGS: Record<Tag, string> = {
  Tenants: "The tenants releases belong to.",
  Charts: "Published chart versions: immutable, with default values, a values schema and a changelog.",
  Releases: "One chart installed for one tenant, and its revisions.",
  Fleet: "Questions and upgrades across every release of a chart.",
  Batches: "Durable fleet upgrades and their live progress.",
  Webhooks: "Signed HTTP notifications of releases, batches and charts, delivered from an outbox with retries.",
  Audit: "Who changed what, and when.",
  Tokens: "API tokens (platform admins only).",
  Users: "UI accounts (platform admins only).",
  Repositories: "Helm HTTP chart repositories synced into the catalog (platform admins only).",
  Policies: "Upgrade policies: releases follow a semver range on their own, inside maintenance windows.",
  Meta: "The API's own description.",
};

/** The problem statuses an operation can answer: its own and those of every operation of its kind. */
export function problemStatuses(op: OperationSpec): number[] {
  const statuses = new Set<number>(op.problems ?? []);
  if (!op.public) statuses.add(401);
  // Any URL can be malformed: a NUL or an unpaired surrogate in a query parameter (even one
  // the operation ignores) or invalid UTF-8 in the path is 400 everywhere.
  statuses.add(400);
  if (op.platformAdminOnly) statuses.add(403);
  if (op.method !== "GET") [400, 403, 413, 415].forEach((s) => statuses.add(s));
  if (op.method === "POST") [409, 422].forEach((s) => statuses.add(s));
  if (op.body) statuses.add(422);
  if (!op.public) statuses.add(500);
  if (op.method !== "GET") statuses.add(503);
  return [...statuses].sort((a, b) => a - b);
}

/**
 * A request field with a default may be left out. OpenAPI generators (openapi-typescript)
 * type a property with a `default` as always present, which is right for answers and wrong
 * for requests: in request schemas the default is said in words instead.
 */
function defaultsInWords(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(defaultsInWords);
  if (node === null || typeof node !== "object") return node;
  const copy: Json = {};
  for (const [key, value] of Object.entries(node)) copy[key] = defaultsInWords(value);
  if ("default" in copy) {
    const { default: fallback, description, ...rest } = copy;
    return { ...rest, description: `${description ? `${description} ` : ""}Default: ${JSON.stringify(fallback)}.` };
  }
  return copy;
}

/** JSON Schemas from zod, named ones hoisted into components and referenced. */
function schemaConverter() {
  const components: Record<string, Json> = {};
  const hoist = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(hoist);
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, k === "$ref" && typeof v === "string" ? v.replace("#/$defs/", "#/components/schemas/") : hoist(v)]),
    );
  };
  const convert = (schema: z.ZodType, io: "input" | "output"): Json => {
    const generated = z.toJSONSchema(schema, {
      io,
      metadata: namedSchemas,
      target: "draft-2020-12",
      unrepresentable: "any",
      // Helm values are any JSON object; zod checks them with a refinement JSON Schema cannot show.
      override: ({ zodSchema, jsonSchema }) => {
        if (zodSchema === valuesObject) Object.assign(jsonSchema, { type: "object", additionalProperties: {} });
      },
    });
    const { $schema: _, $defs, ...json } = (io === "input" ? defaultsInWords(generated) : generated) as Json & { $defs?: Record<string, Json> };
    for (const [id, def] of Object.entries($defs ?? {})) {
      const hoisted = hoist(def) as Json;
      const known = components[id];
      if (known && JSON.stringify(known) !== JSON.stringify(hoisted)) throw new Error(`schema ${id} is used with two shapes (input and output?)`);
      components[id] = hoisted;
    }
    const id = namedSchemas.get(schema)?.id;
    if (id && !("$ref" in json)) {
      // The named schema itself: zod inlines the root, the document references it.
      const { id: _id, ...root } = hoist(json) as Json;
      components[id] = root;
      return { $ref: `#/components/schemas/${id}` };
    }
    const { id: _id, ...rest } = hoist(json) as Json;
    return rest;
  };
  return { convert, components };
}

function parameters(schema: z.ZodObject | undefined, where: "path" | "query", convert: (s: z.ZodType, io: "input") => Json) {
  if (!schema) return [];
  const json = convert(schema, "input") as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => {
    const { description, ...propertySchema } = property;
    return { name, in: where, required: where === "path" || (json.required ?? []).includes(name), ...(description ? { description } : {}), schema: propertySchema };
  });
}

const headerRefs = (names: readonly ResponseHeader[]) => Object.fromEntries(names.map((h) => [h, { $ref: `#/components/headers/${h}` }]));

/** The OpenAPI 3.1 description of /api/v1, generated from the operation table and its zod contracts. */
export function openApiDocument() {
  const { convert, components } = schemaConverter();
  const paths: Record<string, Record<string, Json>> = {};
  const usedProblems = new Set<number>();

  for (const [operationId, spec] of Object.entries(operations)) {
    const op: OperationSpec = spec;
    if (op.undocumented) continue;
    const params = [
      ...parameters(op.params, "path", convert),
      ...parameters(op.query, "query", convert),
      ...(op.method === "POST" ? [{ $ref: "#/components/parameters/IdempotencyKey" }] : []),
      ...(op.requestHeaders ?? []).map((h) => ({ $ref: `#/components/parameters/${h.replace(/-/g, "")}` })),
      { $ref: "#/components/parameters/RequestId" },
    ];
    const responses: Record<string, Json> = {};
    for (const [status, response] of Object.entries(op.responses)) {
      const headers: ResponseHeader[] = ["X-Request-Id", ...(response.headers ?? [])];
      if (op.paged && status === "200") headers.push("Link");
      if (op.method === "POST") headers.push("Idempotent-Replayed");
      const content = response.body
        ? { "application/json": { schema: convert(response.body, "output") } }
        : response.stream
          ? { [response.stream.contentType]: { schema: { type: "string", description: response.stream.description } } }
          : undefined;
      responses[status] = { description: response.description, headers: headerRefs(headers), ...(content ? { content } : {}) };
    }
    for (const status of problemStatuses(op)) {
      usedProblems.add(status);
      responses[String(status)] = { $ref: `#/components/responses/${PROBLEMS[status]!.name}` };
    }
    const body = op.body && {
      required: op.body.required,
      content: {
        "application/json": { schema: convert(op.body.json, "input") },
        ...Object.fromEntries(
          Object.entries(op.body.other ?? {}).map(([type, { description }]) => [type, { schema: { type: "string", contentMediaType: type, description } }]),
        ),
      },
    };
    paths[op.path] ??= {};
    paths[op.path]![op.method.toLowerCase()] = {
      operationId,
      tags: [op.tag],
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      ...(op.public ? { security: [] } : {}),
      parameters: params,
      ...(body ? { requestBody: body } : {}),
      responses,
    };
  }

  const problemResponses = Object.fromEntries(
    [...usedProblems]
      .sort((a, b) => a - b)
      .map((status) => {
        const { name, description, headers = [] } = PROBLEMS[status]!;
        const content = { [PROBLEM_TYPE]: { schema: convert(Problem, "output") } };
        return [name, { description, headers: headerRefs(["X-Request-Id", ...headers]), content }];
      }),
  );

  return {
    openapi: "3.1.0",
    info: {
      title: "Helmdeck API",
      version: "1",
    // Helmdeck is a private package (no open licence): an SPDX LicenseRef says so.
    license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" },
      description:
        "Multi-tenant control plane for Helm releases. JSON in and out; errors are RFC 9457 problem+json. " +
        "A path that exists answers a method it does not support with 405 problem+json and an `Allow` header. " +
        "A path spelled with a trailing slash, `//` or `\\` answers 308 to its clean spelling, or 414 problem+json when path and query are longer than " +
        `${MAX_REDIRECT_URL_LENGTH} characters (a redirect repeats them in its headers); an unknown path under /api answers 404 problem+json. ` +
        "This document itself is served without credentials at GET /api/v1/openapi.json.",
    },
    servers: [{ url: "/api/v1" }],
    security: [{ bearer: [] }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    paths,
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "An API token (or, from the UI, the session cookie)." } },
      schemas: components,
      responses: problemResponses,
      headers: Object.fromEntries(Object.entries(RESPONSE_HEADERS).map(([name, header]) => [name, { ...header, required: name === "X-Request-Id" }])),
      parameters: {
        IdempotencyKey: {
          name: "Idempotency-Key",
          in: "header",
          required: false,
          description: "Retrying with the same key and body answers the first answer again and changes nothing; the same key with another body is 422.",
          schema: { type: "string", minLength: 1, maxLength: 255 },
        },
        RequestId: { name: "X-Request-Id", in: "header", required: false, description: "Your id for this request, echoed back and logged.", schema: { type: "string", maxLength: 100 } },
        LastEventID: { name: "Last-Event-ID", in: "header", required: false, description: "Resume after this event id.", schema: { type: "integer", minimum: 0 } },
      },
    },
  };
}
