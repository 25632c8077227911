/**
 * The README's walk through the REST API, as a typed consumer writes it: openapi-fetch over
 * types that openapi-typescript generated from the served document
 * (`npx openapi-typescript http://localhost:3000/api/v1/openapi.json -o examples/openapi-fetch/generated/helmdeck-api.d.ts`).
 *
 *   HELMDECK_URL=http://localhost:3000 HELMDECK_TOKEN=… npx tsx examples/openapi-fetch/readme-flow.ts
 *
 * Prints one JSON line per step and a summary line at the end.
 */
import createClient from "openapi-fetch";
import type { components, paths } from "./generated/helmdeck-api.js";

type Batch = components["schemas"]["Batch"];
type Problem = components["schemas"]["Problem"];

const url = process.env.HELMDECK_URL ?? "http://localhost:3000";
const token = process.env.HELMDECK_TOKEN;
const chartName = process.env.HELMDECK_CHART ?? "matih-query-engine";
const targetVersion = process.env.HELMDECK_TARGET ?? "1.3.0";
if (!token) throw new Error("set HELMDECK_TOKEN to an API token (npm start prints one)");

const api = createClient<paths>({ baseUrl: `${url}/api/v1`, headers: { Authorization: `Bearer ${token}` } });

/** Every error of the API is a problem document: say what it says and stop. */
function fail(step: string, problem: Problem | undefined): never {
  throw new Error(`${step}: ${problem?.status} ${problem?.title}: ${problem?.detail}`);
}
const step = (name: string, value: unknown) => console.log(JSON.stringify({ step: name, value }));

// Which versions run where.
const versions = await api.GET("/helm/releases/chart/{chartName}/versions", { params: { path: { chartName } } });
if (!versions.data) fail("versions", versions.error);
step("versions", versions.data);

// Which releases lag behind the target.
const lagging = await api.GET("/helm/releases/chart/{chartName}/needs-upgrade", { params: { path: { chartName }, query: { targetVersion } } });
if (!lagging.data) fail("needs-upgrade", lagging.error);
const first = lagging.data[0];
if (!first) throw new Error(`no release of ${chartName} is below ${targetVersion}`);
step("needs-upgrade", lagging.data.map((r) => `${r.tenantSlug}/${r.name} ${r.chartVersion} (${r.upgradeType})`));

// Check, then upgrade one release with the README's body.
const plan = await api.GET("/helm/releases/{releaseId}/upgrade-plan", { params: { path: { releaseId: first.id }, query: { targetVersion } } });
if (!plan.data) fail("upgrade-plan", plan.error);
step("upgrade-plan", plan.data.checks.map((c) => `${c.id}: ${c.status}`));
const upgraded = await api.POST("/helm/releases/{releaseId}/upgrade", {
  params: { path: { releaseId: first.id } },
  body: { chartVersion: targetVersion, valuesOverride: { replicaCount: 3, image: { tag: "2.6.1" } }, description: `Upgrade to ${targetVersion}` },
});
if (!upgraded.data) fail("upgrade", upgraded.error);
step("upgrade", { release: upgraded.data.release.name, revision: upgraded.data.revision.revision, status: upgraded.data.revision.status });

// Upgrade the rest of the fleet as an asynchronous batch, and follow it to its end.
const isBatch = (body: unknown): body is Batch => typeof body === "object" && body !== null && "counts" in body && "status" in body && "items" in body;
const started = await api.POST("/helm/releases/chart/{chartName}/batch-upgrade", { params: { path: { chartName }, query: { targetVersion, async: true } } });
if (!started.data) fail("batch-upgrade", started.error);
if (!isBatch(started.data)) throw new Error(`expected the batch (202), got ${started.response.status}`);
step("batch-started", { status: started.response.status, location: started.response.headers.get("Location"), total: started.data.counts.total });
const batchId = started.data.id;
// The event stream ends when the batch does.
const events = await api.GET("/helm/batches/{batchId}/events", { params: { path: { batchId } }, parseAs: "text" });
if (events.error) fail("events", events.error);
const received = (events.data ?? "").split("\n").filter((line) => line.startsWith("event:")).length;
const finished = await api.GET("/helm/batches/{batchId}", { params: { path: { batchId } } });
if (!finished.data) fail("batch", finished.error);
step("batch-finished", { events: received, status: finished.data.status, counts: finished.data.counts });

// A token for a CI job: its secret is in this answer only.
const created = await api.POST("/tokens", { body: { name: `ci-${Date.now()}`, role: "viewer" } });
if (!created.data) fail("token", created.error);
step("token", { id: created.data.id, prefix: created.data.prefix, location: created.response.headers.get("Location") });
const readBack = await api.GET("/tokens/{id}", { params: { path: { id: created.data.id } } });
if (!readBack.data) fail("token read back", readBack.error);

console.log(
  JSON.stringify({
    summary: {
      versions: versions.data,
      lagging: lagging.data.length,
      upgraded: upgraded.data.revision.status,
      batch: { status: finished.data.status, total: finished.data.counts.total, events: received },
      token: { created: (created.data.token ?? "").length > 0, readBack: readBack.data.id === created.data.id },
    },
  }),
);
