import { getDb } from "@/server/db/client";
import { countBatchesByStatus } from "@/server/domain/batches/count-batches-by-status";
import { observeRequest } from "@/server/http/observe-request";
import { authorizeMetricsScrape } from "@/server/http/metrics-access";
import { problemResponse } from "@/server/http/problem";
import { renderMetrics } from "@/server/observability/metrics";

/** Prometheus text exposition of this instance (docs/deploy.md): HELMDECK_METRICS_TOKEN or a platform-admin token. */
export function GET(req: Request) {
  return observeRequest(req, "/api/metrics", async () => {
    const refusal = await authorizeMetricsScrape(req);
    if (refusal) return problemResponse(refusal);
    const db = await getDb();
    const { contentType, text } = await renderMetrics(() => countBatchesByStatus(db));
    return new Response(text, { headers: { "Content-Type": contentType, "Cache-Control": "no-store" } });
  });
}
