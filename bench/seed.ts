/**
 * `npm run bench:seed -- --releases N --tenants T --chart NAME --versions 1.0.0,1.1.0,…`
 * Fills the configured database (DATABASE_URL, else the embedded one under
 * HELMDECK_DATA_DIR) with a fleet: N releases of one chart spread over tenants
 * bench-0001…bench-T and evenly over the versions. Idempotent; another --chart adds that
 * chart to the same tenants. On PostgreSQL it may run while the app runs; the embedded
 * database belongs to one process at a time, so stop the app first.
 */
import { parseArgs } from "node:util";
import { performance } from "node:perf_hooks";
import { z } from "zod";
import { chartName, dnsLabel, semverString } from "../src/contracts/common";
import { env } from "../src/env";
import { openConfiguredDatabase } from "../src/server/db/client";
import { migrateDatabase } from "../src/server/db/migrate";
import { DEFAULT_FLEET, seedFleet } from "./lib/seed-fleet";

const argsSchema = z
  .object({
    releases: z.coerce.number().int().min(1).max(10_000_000),
    tenants: z.coerce.number().int().min(1).max(1_000_000),
    chart: chartName.and(dnsLabel),
    versions: z
      .string()
      .transform((s) => s.split(",").map((v) => v.trim()).filter(Boolean))
      .pipe(z.array(semverString).min(1).refine((vs) => new Set(vs).size === vs.length, "versions must differ")),
  })
  .refine((a) => dnsLabel.safeParse(`${a.chart}-${Math.ceil(a.releases / a.tenants)}`).success, {
    message: "the chart name is too long for release names <chart>-<n> (at most 63 characters)",
    path: ["chart"],
  });

const { values } = parseArgs({
  options: {
    releases: { type: "string", default: String(DEFAULT_FLEET.releases) },
    tenants: { type: "string", default: String(DEFAULT_FLEET.tenants) },
    chart: { type: "string", default: DEFAULT_FLEET.chart },
    versions: { type: "string", default: DEFAULT_FLEET.versions.join(",") },
  },
  strict: true,
});

const parsed = argsSchema.safeParse(values);
if (!parsed.success) {
  for (const issue of parsed.error.issues) console.error(`bench:seed: --${issue.path.join(".") || "arguments"}: ${issue.message}`);
  process.exit(2);
}
const spec = parsed.data;

const where = env().DATABASE_URL ? "PostgreSQL (DATABASE_URL)" : `the embedded database in ${env().HELMDECK_DATA_DIR}`;
console.log(`bench:seed: ${spec.releases.toLocaleString("en")} releases of ${spec.chart} (${spec.versions.join(", ")}) over ${spec.tenants} tenants into ${where}`);
const started = performance.now();
try {
  const handle = await openConfiguredDatabase();
  try {
    await migrateDatabase(handle);
    const result = await seedFleet(handle.db, spec, (line) => console.log(`  ${line}`));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `bench:seed: done in ${seconds} s: ${result.releasesCreated} releases, ${result.tenantsCreated} tenants and ${result.chartVersionsPublished} chart versions created (what existed was kept)`,
    );
  } finally {
    await handle.close();
  }
} catch (e) {
  console.error(`bench:seed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
