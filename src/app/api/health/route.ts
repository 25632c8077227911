import { readinessProbe } from "@/server/http/readiness-probe";

/** The first probe Helmdeck had; kept, and the same as /api/readyz. */
export const GET = readinessProbe("/api/health");
