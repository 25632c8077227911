import { env } from "@/env";
import { ensureBootstrapToken } from "@/server/auth/api-tokens";
import { loadAuthSecret } from "@/server/auth/auth-secret";
import { getDatabaseHandle } from "@/server/db/client";
import { migrateDatabase } from "@/server/db/migrate";
import { settings, tenants } from "@/server/db/schema";
import { seedDemo } from "@/server/db/seed/seed-demo";
import { ensureFirstAdmin } from "@/server/domain/users/ensure-first-admin";
import { log } from "@/server/observability/log";

const globalForBoot = globalThis as unknown as { helmdeckReady?: Promise<void> };

/**
 * Start-up, once per process: migrations, the bootstrap token, the session secret, the first
 * UI admin, the demo seed into an empty database. The seed is claimed through a row so that one instance of several seeds it.
 */
async function prepare(): Promise<void> {
  const config = env();
  const handle = await getDatabaseHandle();
  await migrateDatabase(handle);
  const { db } = handle;
  if (config.HELMDECK_BOOTSTRAP_TOKEN) await ensureBootstrapToken(db, config.HELMDECK_BOOTSTRAP_TOKEN);
  await loadAuthSecret(db);
  const admin = await ensureFirstAdmin(db, { email: config.HELMDECK_ADMIN_EMAIL, password: config.HELMDECK_ADMIN_PASSWORD });
  if (admin.kind === "created" && admin.generatedPassword) {
    // The one time this password is ever shown: only its hash is stored. It is in the message
    // text, not a field, so that it reads plainly on a terminal; set HELMDECK_ADMIN_PASSWORD to keep it out of logs.
    log.warn(`created the first platform admin. Sign in as ${admin.email} with password ${admin.generatedPassword} (shown once; to choose another, restart with HELMDECK_ADMIN_EMAIL and HELMDECK_ADMIN_PASSWORD)`);
  } else if (admin.kind === "created") {
    log.info({ email: admin.email }, "created the platform admin (password from HELMDECK_ADMIN_PASSWORD)");
  } else if (admin.kind === "reset") {
    log.info({ email: admin.email }, "platform admin reset to the password from HELMDECK_ADMIN_PASSWORD");
  }
  if (config.HELMDECK_DEMO) {
    const anyTenant = await db.select({ id: tenants.id }).from(tenants).limit(1);
    if (anyTenant.length === 0) {
      const [claim] = await db.insert(settings).values({ key: "demo-seed", value: { at: new Date().toISOString() } }).onConflictDoNothing().returning();
      if (claim) {
        const seeded = await seedDemo(db);
        log.info(seeded, "seeded demo data (demo accounts: see docs/identity.md)");
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
