import { createHash } from "node:crypto";
import vm from "node:vm";
import { Ajv, type Options, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import { RE2JS } from "re2js";
import type { JsonObject } from "@/contracts/common";
import { canonicalJson } from "@/server/boundary/canonical-json";
import type { FieldError } from "../errors";

/** The longest one validation may hold the event loop; past it the values count as not validated. */
export const VALIDATION_BUDGET_MS = 100;
const MAX_REPORTED_ERRORS = 100;

/**
 * Patterns from a chart's schema run on RE2 (linear time in the input), never on the
 * backtracking RegExp engine: `^(a+)+$` against "aaaa…!" would otherwise freeze the server.
 * A pattern RE2 cannot express (lookaround, backreferences) makes the schema unusable.
 */
const re2 = Object.assign((pattern: string) => RE2JS.compile(RE2JS.translateRegExp(pattern)), { code: "re2" });

/** uniqueItems in linear time: ajv compares every pair of items, quadratic in a 1 MiB array. */
const uniqueItems = {
  keyword: "uniqueItems",
  type: "array" as const,
  schemaType: "boolean" as const,
  errors: false,
  validate: (unique: boolean, items: unknown[]) => {
    if (!unique) return true;
    const seen = new Set<string>();
    for (const item of items) {
      const key = item !== null && typeof item === "object" ? canonicalJson(item) : `${typeof item}:${String(item)}`;
      if (seen.has(key)) return false;
      seen.add(key);
    }
    return true;
  },
};

// Charts' schemas are written for Helm's validator, which is lenient about unknown
// keywords and formats: so is this one. Compiled schemas are cached by content.
const options: Options = { allErrors: true, strict: false, validateFormats: false, code: { regExp: re2 } };
const engines = [new Ajv(options), new Ajv2020(options)].map((ajv) => ajv.removeKeyword("uniqueItems").addKeyword(uniqueItems));
const [draft7, draft2020] = engines as [Ajv, Ajv];
const compiled = new Map<string, ValidateFunction>();

function validatorFor(schema: JsonObject): ValidateFunction {
  const text = JSON.stringify(schema);
  const key = createHash("sha256").update(text).digest("hex");
  let validate = compiled.get(key);
  if (!validate) {
    const uses2020 = typeof schema.$schema === "string" && /2019-09|2020-12/.test(schema.$schema);
    // $id would make ajv refuse a second chart version carrying the same schema.
    const { $id: _ignored, ...rest } = schema;
    validate = (uses2020 ? draft2020 : draft7).compile(rest);
    if (compiled.size > 500) compiled.clear();
    compiled.set(key, validate);
  }
  return validate;
}

/**
 * Runs a synchronous function for at most budgetMs: node's vm timeout interrupts whatever
 * runs inside it, so that a schema whose combinators explode (nested anyOf over $ref) is
 * cut off instead of holding every other request.
 */
const sandbox = vm.createContext({ run: undefined as (() => unknown) | undefined });
const callRun = new vm.Script("run()");
const CUT_OFF = Symbol("cut-off");
function runWithTimeout<T>(fn: () => T, budgetMs: number): T | typeof CUT_OFF {
  sandbox.run = fn;
  try {
    return callRun.runInContext(sandbox, { timeout: budgetMs }) as T;
  } catch (e) {
    if ((e as { code?: unknown }).code === "ERR_SCRIPT_EXECUTION_TIMEOUT") return CUT_OFF;
    throw e;
  } finally {
    sandbox.run = undefined;
  }
}

/**
 * The timeout counts wall time, and on a starved machine (a loaded CI runner) a validation
 * of a few microseconds can wait 100 ms for a CPU. A cut-off that used little CPU was
 * starvation, not work: it is tried again, a few times. Real work is cut off at once.
 */
function withinBudget<T>(fn: () => T, budgetMs: number): T | typeof CUT_OFF {
  for (let attempt = 0; attempt < 5; attempt++) {
    const cpuBefore = process.cpuUsage();
    const result = runWithTimeout(fn, budgetMs);
    if (result !== CUT_OFF) return result;
    const cpu = process.cpuUsage(cpuBefore);
    if ((cpu.user + cpu.system) / 1000 >= budgetMs / 2) return CUT_OFF;
  }
  return CUT_OFF;
}

/** Why a schema cannot be used (checked when a chart is published), or null. */
export function assertUsableSchema(schema: JsonObject): string | null {
  try {
    validatorFor(schema);
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

const toPath = (prefix: string, instancePath: string) =>
  [prefix, ...instancePath.split("/").filter(Boolean).map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))].join(".");

/** Problems of the computed values against a chart's values.schema.json, as field errors. */
export function validateValues(values: JsonObject, schema: JsonObject | null, pathPrefix = "valuesOverride"): FieldError[] {
  if (!schema) return [];
  let validate: ValidateFunction;
  try {
    validate = validatorFor(schema);
  } catch (e) {
    // A chart stored before its schema was held to these rules: refuse, never crash.
    return [{ path: pathPrefix, message: `cannot be validated: the chart's values schema is unusable (${e instanceof Error ? e.message : String(e)})` }];
  }
  const valid = withinBudget(() => validate(values), VALIDATION_BUDGET_MS);
  if (valid === CUT_OFF) {
    return [{ path: pathPrefix, message: `could not be validated against the chart's values schema within ${VALIDATION_BUDGET_MS} ms` }];
  }
  if (valid) return [];
  // Enough to act on; a 1 MiB array failing item by item would otherwise answer megabytes.
  return (validate.errors ?? []).slice(0, MAX_REPORTED_ERRORS).map((e) => {
    const missing = e.keyword === "required" ? (e.params as { missingProperty?: string }).missingProperty : undefined;
    const path = toPath(pathPrefix, missing ? `${e.instancePath}/${missing}` : e.instancePath);
    return { path, message: missing ? "is required" : (e.message ?? "is invalid") };
  });
}
