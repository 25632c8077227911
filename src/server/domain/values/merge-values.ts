import { deepmergeCustom } from "deepmerge-ts";
import type { JsonObject, JsonValue } from "@/contracts/common";

/**
 * Helm's coalescing rules: maps merge key by key, arrays and scalars from the later layer
 * replace the earlier one whole. Nulls are kept, so that a user's deletion can travel in
 * userValues from one upgrade to the next.
 */
const mergeLayers = deepmergeCustom({ mergeArrays: false });

export function layerValues(...layers: JsonObject[]): JsonObject {
  return mergeLayers(...layers) as JsonObject;
}

/** Removes map keys whose value is null, at any depth: a user null means "delete this key". */
export function removeNullKeys(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(removeNullKeys);
  if (value === null || typeof value !== "object") return value;
  const result: JsonObject = {};
  for (const [key, child] of Object.entries(value)) {
    if (child !== null) result[key] = removeNullKeys(child);
  }
  return result;
}

/** The values a chart is rendered with: its defaults coalesced with the user's values. */
export function computeValues(chartDefaults: JsonObject, userValues: JsonObject): JsonObject {
  return removeNullKeys(layerValues(chartDefaults, userValues)) as JsonObject;
}
