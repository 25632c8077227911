import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { BATCH_STATUSES } from "@/contracts/batches";
import { OPERATIONS, type Operation } from "@/contracts/releases";
import { log } from "./log";

export type OperationResult = "succeeded" | "failed" | "abandoned";
export type BatchItemResult = "upgraded" | "failed" | "skipped" | "cancelled";

/** Counts batches by status from the database at scrape time (every instance sees every batch). */
export type BatchCounter = () => Promise<Array<{ status: string; n: number }>>;

interface Metrics {
  registry: Registry;
  httpRequests: Counter<"method" | "route" | "status">;
  httpDuration: Histogram<"method" | "route">;
  releaseOperations: Counter<"operation" | "result">;
  releaseOperationDuration: Histogram<"operation">;
  batchItems: Counter<"result">;
  webhookDeliveries: Counter<"result">;
  batches: Gauge<"status">;
  countBatches?: BatchCounter;
}

function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const metrics: Metrics = {
    registry,
    httpRequests: new Counter({
      name: "helmdeck_http_requests_total",
      help: "HTTP requests answered by this instance, by route template",
      labelNames: ["method", "route", "status"],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: "helmdeck_http_request_duration_seconds",
      help: "Time until the response started (for event streams: until the stream opened), by route template",
      labelNames: ["method", "route"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    releaseOperations: new Counter({
      name: "helmdeck_release_operations_total",
      help: "Installs, upgrades and rollbacks this instance finished (succeeded, failed) or found abandoned after their lease expired",
      labelNames: ["operation", "result"],
      registers: [registry],
    }),
    releaseOperationDuration: new Histogram({
      name: "helmdeck_release_operation_duration_seconds",
      help: "From recording the pending revision to recording its outcome",
      labelNames: ["operation"],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
      registers: [registry],
    }),
    batchItems: new Counter({
      name: "helmdeck_batch_items_total",
      help: "Batch items this instance settled, by result",
      labelNames: ["result"],
      registers: [registry],
    }),
    webhookDeliveries: new Counter({
      name: "helmdeck_webhook_deliveries_total",
      help: "Webhook delivery attempts by result",
      labelNames: ["result"],
      registers: [registry],
    }),
    batches: new Gauge({
      name: "helmdeck_batches",
      help: "Batches by status, read from the database at scrape time (the same on every instance)",
      labelNames: ["status"],
      registers: [registry],
      async collect() {
        const count = globalForMetrics.helmdeckMetrics?.countBatches;
        this.reset();
        if (!count) return;
        // The process metrics stay worth scraping while the database is down: this gauge is then absent.
        const rows = await count().catch((err: unknown) => {
          log.warn({ err }, "metrics: could not count batches");
          return null;
        });
        if (!rows) return;
        for (const status of BATCH_STATUSES) this.set({ status }, 0);
        for (const { status, n } of rows) this.set({ status }, n);
      },
    }),
  };
  // Known series start at zero, so that rate() and absent-series alerts work from the first scrape.
  for (const operation of OPERATIONS) for (const result of ["succeeded", "failed"]) metrics.releaseOperations.inc({ operation, result }, 0);
  for (const result of ["upgraded", "failed", "skipped", "cancelled"]) metrics.batchItems.inc({ result }, 0);
  return metrics;
}

// One registry per process: Next bundles this module into several route chunks.
const globalForMetrics = globalThis as unknown as { helmdeckMetrics?: Metrics };
const metrics = (): Metrics => (globalForMetrics.helmdeckMetrics ??= createMetrics());

export function recordHttpRequest(method: string, route: string, status: number, seconds: number): void {
  const m = metrics();
  m.httpRequests.inc({ method, route, status: String(status) });
  m.httpDuration.observe({ method, route }, seconds);
}

export function recordReleaseOperation(operation: Operation, result: OperationResult, seconds?: number): void {
  const m = metrics();
  m.releaseOperations.inc({ operation, result });
  if (seconds !== undefined) m.releaseOperationDuration.observe({ operation }, seconds);
}

export function recordBatchItem(result: BatchItemResult, count = 1): void {
  if (count > 0) metrics().batchItems.inc({ result }, count);
}

/** The Prometheus text exposition of this instance; `countBatches` feeds `helmdeck_batches`. */
export async function renderMetrics(countBatches: BatchCounter): Promise<{ contentType: string; text: string }> {
  const m = metrics();
  m.countBatches = countBatches;
  return { contentType: m.registry.contentType, text: await m.registry.metrics() };
}
