import { readinessProbe } from "@/server/http/readiness-probe";

export const GET = readinessProbe("/api/readyz");
