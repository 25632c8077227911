import { createHash } from "node:crypto";
import { Ajv, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { JsonObject } from "@/contracts/common";
import type { FieldError } from "../errors";

// Charts' schemas are written for Helm's validator, which is lenient about unknown
// keywords and formats: so is this one. Compiled schemas are cached by content.
const draft7 = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const draft2020 = new Ajv2020({ allErrors: true, strict: false, validateFormats: false });
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

/** Throws when the schema itself is not a usable JSON Schema (checked when a chart is published). */
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
  const validate = validatorFor(schema);
  if (validate(values)) return [];
  return (validate.errors ?? []).map((e) => {
    const missing = e.keyword === "required" ? (e.params as { missingProperty?: string }).missingProperty : undefined;
    const path = toPath(pathPrefix, missing ? `${e.instancePath}/${missing}` : e.instancePath);
    return { path, message: missing ? "is required" : (e.message ?? "is invalid") };
  });
}
