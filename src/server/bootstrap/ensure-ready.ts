import { env } from "@/env";
import { ensureBootstrapToken } from "@/server/auth/api-tokens";
import { getDatabaseHandle } from "@/server/db/client";
import { migrateDatabase } from "@/server/db/migrate";
import { settings, tenants } from "@/server/db/schema";
import { seedDemo } from "@/server/db/seed/seed-demo";

const globalForBoot = globalThis as unknown as { helmdeckReady?: Promise<void> };

/**
 * Start-up, once per process: migrations, the bootstrap token, the demo seed into an empty
 * database. The seed is claimed through a row so that one instance of several seeds it.
 */
async function prepare(): Promise<void> {
  const config = env();
  const handle = await getDatabaseHandle();
  await migrateDatabase(handle);
  const { db } = handle;
  if (config.HELMDECK_BOOTSTRAP_TOKEN) await ensureBootstrapToken(db, config.HELMDECK_BOOTSTRAP_TOKEN);
  if (config.HELMDECK_DEMO) {
    const anyTenant = await db.select({ id: tenants.id }).from(tenants).limit(1);
    if (anyTenant.length === 0) {
      const [claim] = await db.insert(settings).values({ key: "demo-seed", value: { at: new Date().toISOString() } }).onConflictDoNothing().returning();
      if (claim) {
        const seeded = await seedDemo(db);
        console.log(`helmdeck: seeded demo data (${seeded.tenants} tenants, ${seeded.releases} releases)`);
      }
    }
  }
}

export function ensureReady(): Promise<void> {
  globalForBoot.helmdeckReady ??= prepare().catch((e) => {
    globalForBoot.helmdeckReady = undefined;
    throw e;
  });
  return globalForBoot.helmdeckReady;
}
