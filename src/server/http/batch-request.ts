import { batchUpgradeInput, type BatchUpgradeInput } from "@/contracts/batches";
import { DomainError } from "@/server/domain/errors";
import { zodFieldErrors } from "./problem";

/**
 * A batch request's options come from the query string and the JSON body, the body
 * winning. A bad value is 422 when the body sent it and 400 when the URL did (or when the
 * URL lacks the target version).
 */
export function parseBatchUpgradeRequest(url: URL, body: unknown, chartName: string): BatchUpgradeInput {
  if (body !== undefined && (body === null || typeof body !== "object" || Array.isArray(body))) {
    throw new DomainError("VALIDATION_FAILED", "the request body must be a JSON object", { errors: [{ path: "(body)", message: "must be a JSON object" }] });
  }
  const fromBody = (body ?? {}) as Record<string, unknown>;
  const merged = { ...Object.fromEntries(url.searchParams.entries()), ...fromBody, chartName };
  const parsed = batchUpgradeInput.safeParse(merged);
  if (parsed.success) return parsed.data;
  const errors = zodFieldErrors(parsed.error);
  const bodyErrors = errors.filter((e) => Object.hasOwn(fromBody, e.path.split(".")[0]!));
  if (bodyErrors.length > 0) throw new DomainError("VALIDATION_FAILED", "the request body is invalid", { errors: bodyErrors });
  throw new DomainError("BAD_REQUEST", `invalid query: ${errors.map((e) => `${e.path} ${e.message}`).join("; ")}`, { errors });
}
