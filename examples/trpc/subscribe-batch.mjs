// @ts-check
/**
 * The typed tRPC client from plain Node (20 or later, no TypeScript, no bundler): start a
 * batch upgrade and follow its live progress over the `batches.events` subscription until
 * the batch ends.
 *
 *   HELMDECK_URL=http://localhost:3000 HELMDECK_TOKEN=… node examples/trpc/subscribe-batch.mjs
 *
 * In another project: `import { createHelmdeckClient } from "helmdeck/client"` once Helmdeck
 * is installed there (see docs/client.md).
 */
import { createHelmdeckClient } from "helmdeck/client";

const url = process.env.HELMDECK_URL ?? "http://localhost:3000";
const token = process.env.HELMDECK_TOKEN;
const chartName = process.env.HELMDECK_CHART ?? "matih-query-engine";
const targetVersion = process.env.HELMDECK_TARGET ?? "1.3.0";
if (!token) throw new Error("set HELMDECK_TOKEN to an API token (npm start prints one)");

const helmdeck = createHelmdeckClient({ url, token });

const batch = await helmdeck.batches.start.mutate({ chartName, targetVersion, async: true });
console.log(JSON.stringify({ started: batch.id, releases: batch.counts.total }));

/** @type {string[]} */
const seen = [];
await new Promise((resolve, reject) => {
  // The server ends the subscription when the batch ends (at once if it already has).
  helmdeck.batches.events.subscribe(
    { batchId: batch.id },
    {
      onData: ({ data: event }) => {
        seen.push(event.type);
        if (event.type === "item") console.log(JSON.stringify({ item: event.item.position, release: event.item.releaseName, status: event.item.status }));
        else console.log(JSON.stringify({ batch: event.batch.status }));
      },
      onError: reject,
      onComplete: () => resolve(undefined),
    },
  );
});

const finished = await helmdeck.batches.get.query({ batchId: batch.id });
console.log(JSON.stringify({ summary: { batchId: batch.id, status: finished.status, counts: finished.counts, events: seen } }));
