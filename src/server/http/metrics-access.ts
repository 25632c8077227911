import { createHash, timingSafeEqual } from "node:crypto";
import { env } from "@/env";
import { ensureReady } from "@/server/bootstrap/ensure-ready";
import { getDb } from "@/server/db/client";
import { DomainError } from "@/server/domain/errors";
import { authenticate } from "./authenticate";

const digest = (value: string) => createHash("sha256").update(value).digest();
const BEARER = /^Bearer\s+(\S+)\s*$/i;

/**
 * A scrape is allowed with HELMDECK_METRICS_TOKEN (no database involved, so a scraper still
 * sees process metrics while the database is down) or as a platform admin; anyone else gets
 * 401, a valid token of another role included: metrics are the operator's, not a tenant's.
 */
export async function authorizeMetricsScrape(req: Request): Promise<DomainError | null> {
  const refused = new DomainError("UNAUTHENTICATED", "send Authorization: Bearer <HELMDECK_METRICS_TOKEN or a platform-admin token>");
  const presented = BEARER.exec(req.headers.get("authorization") ?? "")?.[1];
  const expected = env().HELMDECK_METRICS_TOKEN;
  if (presented && expected && timingSafeEqual(digest(presented), digest(expected))) return null;
  try {
    await ensureReady();
    const actor = await authenticate(await getDb(), req);
    return actor.role === "platform-admin" ? null : refused;
  } catch (e) {
    if (e instanceof DomainError) return refused;
    throw e;
  }
}
