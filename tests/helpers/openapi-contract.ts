import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

/** One request and its answer, as the HTTP tests made it. */
export interface Exchange {
  method: string;
  /** Path and query under the server root, e.g. /api/v1/tenants?limit=1 */
  url: string;
  status: number;
  headers: Record<string, string>;
  /** The body as text; null when not read (an event stream). */
  body: string | null;
  /** The request's JSON body as sent, when it was one. */
  requestBody?: string | null;
}

type Json = Record<string, any>;

/** The document's path template a concrete path falls under (literal segments win), if any. */
export function templateOf(doc: Json, path: string): string | undefined {
  const segments = path.split("/").slice(1);
  const matches = Object.keys(doc.paths)
    .map((template) => ({ template, parts: template.split("/").slice(1) }))
    .filter((t) => t.parts.length === segments.length && t.parts.every((s, i) => s.startsWith("{") || s === segments[i]));
  const literal = (parts: string[]) => parts.filter((s) => !s.startsWith("{")).length;
  return matches.sort((a, b) => literal(b.parts) - literal(a.parts))[0]?.template;
}

const API_PREFIX = "/api/v1";
const DOCUMENT_PATH = "/openapi.json";
const escapePointer = (s: string) => s.replace(/~/g, "~0").replace(/\//g, "~1");
const mediaType = (contentType: string | undefined) => contentType?.split(";")[0]!.trim().toLowerCase() ?? "";
const isJson = (type: string) => /^application\/([\w.+-]+\+)?json$/.test(type);

/**
 * Checks exchanges against an OpenAPI 3.1 document: the path template and method exist
 * (else 404 / 405 problem+json with Allow), the status is documented, the content type is
 * one the document lists, the JSON body validates (ajv) against its schema, every API
 * header present is documented and every required one is present.
 */
export function contractChecker(doc: Json) {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats.default(ajv);
  ajv.addSchema(doc, "openapi");
  const apiHeaders = new Set(Object.keys(doc.components?.headers ?? {}).map((h) => h.toLowerCase()));

  const resolve = (node: Json, pointer: string): { node: Json; pointer: string } => {
    if (typeof node?.$ref !== "string") return { node, pointer };
    const target = node.$ref.slice(2);
    return resolve(target.split("/").reduce((n: Json, k: string) => n[k.replace(/~1/g, "/").replace(/~0/g, "~")], doc), `#/${target}`);
  };

  const matchTemplate = (path: string) => templateOf(doc, path);

  const allowed = (item: Json) => {
    const methods = ["get", "post", "put", "patch", "delete"].filter((m) => item[m]).map((m) => m.toUpperCase());
    return [...methods, ...(methods.includes("GET") ? ["HEAD"] : []), "OPTIONS"];
  };

  const headerOf = (exchange: Exchange, name: string) => exchange.headers[name.toLowerCase()];

  function checkProblem(exchange: Exchange, status: number, problems: string[]) {
    if (exchange.status !== status) problems.push(`expected ${status}, got ${exchange.status}`);
    if (mediaType(headerOf(exchange, "content-type")) !== "application/problem+json") problems.push(`a ${exchange.status} must be application/problem+json`);
    else checkBody(exchange, "#/components/schemas/Problem", problems);
  }

  function checkBody(exchange: Exchange, pointer: string, problems: string[]) {
    if (exchange.body === null || exchange.method === "HEAD") return;
    let value: unknown;
    try {
      value = JSON.parse(exchange.body);
    } catch {
      problems.push("body is not JSON");
      return;
    }
    const validate = ajv.getSchema(`openapi${pointer}`);
    if (!validate) throw new Error(`no schema at ${pointer}`);
    if (!validate(value)) problems.push(`body does not match ${pointer}: ${ajv.errorsText(validate.errors, { dataVar: "body" })}`);
  }

  /** The mismatches of one exchange (empty: it matches the document). */
  return function check(exchange: Exchange): string[] {
    const problems: string[] = [];
    const { pathname } = new URL(exchange.url, "http://api.invalid");
    if (!pathname.startsWith(`${API_PREFIX}/`)) return problems;
    const path = pathname.slice(API_PREFIX.length);
    const method = exchange.method.toUpperCase();
    const template = path === DOCUMENT_PATH ? undefined : matchTemplate(path);
    if (path === DOCUMENT_PATH) {
      if (method === "GET" && (exchange.status !== 200 || !isJson(mediaType(headerOf(exchange, "content-type"))))) problems.push("the document must answer 200 JSON");
      return problems;
    }
    if (!template) {
      if (method !== "OPTIONS") checkProblem(exchange, 404, problems);
      return problems;
    }
    const item = doc.paths[template] as Json;
    const allow = allowed(item);
    if (method === "OPTIONS") {
      if (exchange.status !== 204) problems.push(`OPTIONS must answer 204, got ${exchange.status}`);
      if (headerOf(exchange, "allow") !== allow.join(", ")) problems.push(`OPTIONS Allow must be "${allow.join(", ")}", got "${headerOf(exchange, "allow")}"`);
      return problems;
    }
    const operation = item[method === "HEAD" ? "get" : method.toLowerCase()] as Json | undefined;
    if (!operation) {
      checkProblem(exchange, 405, problems);
      if (headerOf(exchange, "allow") !== allow.join(", ")) problems.push(`405 Allow must be "${allow.join(", ")}", got "${headerOf(exchange, "allow")}"`);
      return problems.map((p) => `${method} ${template}: ${p}`);
    }
    const label = `${method} ${template} → ${exchange.status}`;
    const documented = operation.responses[String(exchange.status)] as Json | undefined;
    if (!documented) return [`${label}: status not documented (documented: ${Object.keys(operation.responses).join(", ")})`];
    const { node: response, pointer } = resolve(
      documented,
      `#/paths/${escapePointer(template)}/${method === "HEAD" ? "get" : method.toLowerCase()}/responses/${exchange.status}`,
    );

    const headers = Object.fromEntries(Object.entries((response.headers ?? {}) as Json).map(([name, h]) => [name.toLowerCase(), resolve(h as Json, "").node]));
    for (const name of Object.keys(exchange.headers)) {
      if (apiHeaders.has(name) && !headers[name]) problems.push(`header ${name} is not documented for this answer`);
    }
    for (const [name, header] of Object.entries(headers)) {
      const value = headerOf(exchange, name);
      if (value === undefined) {
        if (header.required) problems.push(`required header ${name} is missing`);
        continue;
      }
      if (header.schema?.enum && !header.schema.enum.includes(value)) problems.push(`header ${name}: "${value}" is not one of ${header.schema.enum.join(", ")}`);
    }

    // An accepted request must be one the document describes: else the document is stricter than the server.
    if (exchange.status < 300 && exchange.requestBody && operation.requestBody) {
      let sent: unknown;
      try {
        sent = JSON.parse(exchange.requestBody);
      } catch {
        sent = undefined;
      }
      const requestPointer = `#/paths/${escapePointer(template)}/${method.toLowerCase()}/requestBody/content/application~1json/schema`;
      const validate = sent === undefined ? undefined : ajv.getSchema(`openapi${requestPointer}`);
      if (validate && !validate(sent)) problems.push(`accepted a request body the document refuses: ${ajv.errorsText(validate.errors, { dataVar: "request" })}`);
    }

    const content = (response.content ?? {}) as Json;
    const type = mediaType(headerOf(exchange, "content-type"));
    const hasBody = exchange.body === null || exchange.body.length > 0;
    if (Object.keys(content).length === 0) {
      if (hasBody && exchange.method !== "HEAD") problems.push(`documented without a body, but answered ${type || "a body"}`);
    } else if (!content[type]) {
      problems.push(`content type "${type}" is not documented (documented: ${Object.keys(content).join(", ")})`);
    } else if (isJson(type)) {
      checkBody(exchange, `${pointer}/content/${escapePointer(type)}/schema`, problems);
    }
    return problems.map((p) => `${label}: ${p}`);
  };
}
