import "server-only";
import path from "node:path";
import { mkdirSync } from "node:fs";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { lockDataDir } from "./data-dir-lock";
import { preparingStatements } from "./prepared-statements";
import * as schema from "./schema";
import { env } from "@/env";

export type Schema = typeof schema;
/** Both drivers' databases share this shape; the domain never knows which one it has. */
export type Database = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type DbOrTx = Database | Transaction;

export type DatabaseKind = "pglite" | "postgres";

export interface DatabaseHandle {
  db: Database;
  kind: DatabaseKind;
  /** Runs the migrations in drizzle/ (idempotent). */
  migrate(): Promise<void>;
  close(): Promise<void>;
}

const migrationsFolder = path.join(process.cwd(), "drizzle");

export async function openPostgres(url: string, options: { max?: number } = {}): Promise<DatabaseHandle> {
  const { default: postgres } = await import("postgres");
  const { drizzle } = await import("drizzle-orm/postgres-js");
  const client = postgres(url, { max: options.max ?? 10, onnotice: () => {} });
  const db = drizzle({ client: preparingStatements(client), schema }) as unknown as Database;
  return {
    db,
    kind: "postgres",
    async migrate() {
      const { migrate } = await import("drizzle-orm/postgres-js/migrator");
      await migrate(db as never, { migrationsFolder });
    },
    close: () => client.end({ timeout: 5 }),
  };
}

/** dataDir undefined means in memory (tests). */
export async function openPglite(dataDir: string | undefined, loadDataDir?: Blob): Promise<DatabaseHandle> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { drizzle } = await import("drizzle-orm/pglite");
  let unlock = () => {};
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    unlock = lockDataDir(dataDir);
  }
  const client = await PGlite.create({ dataDir, loadDataDir }).catch((e) => {
    unlock();
    throw e;
  });
  const db = drizzle({ client, schema }) as unknown as Database;
  return {
    db,
    kind: "pglite",
    async migrate() {
      const { migrate } = await import("drizzle-orm/pglite/migrator");
      await migrate(db as never, { migrationsFolder });
    },
    close: async () => {
      await client.close();
      unlock();
    },
  };
}

export function openConfiguredDatabase(): Promise<DatabaseHandle> {
  const { DATABASE_URL, HELMDECK_DATA_DIR } = env();
  return DATABASE_URL ? openPostgres(DATABASE_URL) : openPglite(path.resolve(HELMDECK_DATA_DIR, "pglite"));
}

// One handle per process, kept on globalThis so that Next's module duplication and
// dev-server reloads never open the embedded data dir twice.
const globalForDb = globalThis as unknown as { helmdeckDb?: Promise<DatabaseHandle> };

export function getDatabaseHandle(): Promise<DatabaseHandle> {
  globalForDb.helmdeckDb ??= openConfiguredDatabase();
  return globalForDb.helmdeckDb;
}

export async function getDb(): Promise<Database> {
  return (await getDatabaseHandle()).db;
}

export async function closeDatabase(): Promise<void> {
  const handle = globalForDb.helmdeckDb;
  globalForDb.helmdeckDb = undefined;
  if (handle) await (await handle).close();
}
