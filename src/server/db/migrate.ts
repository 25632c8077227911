import path from "node:path";
import { env } from "@/env";
import type { DatabaseHandle } from "./client";

// Any constant works; it only has to be the same in every instance.
const MIGRATION_LOCK = 724_311_001;

/**
 * Applies drizzle/ migrations. On PostgreSQL several instances may start at once, so the
 * migration runs on one dedicated connection holding an advisory lock.
 */
export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  const url = env().DATABASE_URL;
  if (handle.kind === "pglite" || !url) return handle.migrate();
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  const client = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await client`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migrate(drizzle({ client }), { migrationsFolder: path.join(process.cwd(), "drizzle") });
    await client`select pg_advisory_unlock(${MIGRATION_LOCK})`;
  } finally {
    await client.end({ timeout: 5 });
  }
}

