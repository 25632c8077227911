import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe } from "vitest";
import type { Actor } from "@/server/auth/actor";
import { openPglite, openPostgres, type Database, type DatabaseHandle, type DatabaseKind } from "@/server/db/client";

/** PGlite always; real PostgreSQL too when TEST_DATABASE_URL is set (CI sets it). */
export function databaseKinds(): DatabaseKind[] {
  return process.env.TEST_DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];
}

let migratedSnapshot: Promise<Blob> | undefined;

/** Migrating a fresh PGlite costs seconds: migrate once per worker, then clone the dump. */
function pgliteSnapshot(): Promise<Blob> {
  migratedSnapshot ??= (async () => {
    const handle = await openPglite(undefined);
    await handle.migrate();
    const client = (handle.db as unknown as { $client: { dumpDataDir(c: "none"): Promise<Blob> } }).$client;
    const dump = await client.dumpDataDir("none");
    await handle.close();
    return dump;
  })();
  return migratedSnapshot;
}

export interface TestDatabase {
  kind: DatabaseKind;
  db: Database;
  handle: DatabaseHandle;
  /** A second, independent connection pool to the same database (PostgreSQL only), as another app instance would have. */
  url?: string;
  close(): Promise<void>;
}

/** A fresh, migrated, empty database of the given kind, dropped again by close(). */
export async function openTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === "pglite") {
    const handle = await openPglite(undefined, await pgliteSnapshot());
    return { kind, db: handle.db, handle, close: () => handle.close() };
  }
  const adminUrl = process.env.TEST_DATABASE_URL!;
  const name = `helmdeck_test_${randomBytes(6).toString("hex")}`;
  const { default: postgres } = await import("postgres");
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openPostgres(url.toString());
  await handle.migrate();
  return {
    kind,
    db: handle.db,
    handle,
    url: url.toString(),
    async close() {
      await handle.close();
      await admin.unsafe(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/**
 * Runs a suite once per database kind, each on its own fresh database. The callback gets a
 * getter, since the database only exists once beforeAll has run.
 */
export function describeEachDatabase(name: string, suite: (getDb: () => TestDatabase) => void): void {
  for (const kind of databaseKinds()) {
    describe(`${name} [${kind}]`, () => {
      let testDb: TestDatabase | undefined;
      beforeAll(async () => {
        testDb = await openTestDatabase(kind);
      });
      afterAll(async () => {
        await testDb?.close();
      });
      suite(() => testDb!);
    });
  }
}

export const platformAdmin: Actor = { kind: "user", id: "test-admin", name: "admin@test", role: "platform-admin", tenantId: null };
export const tenantAdminOf = (tenantId: string): Actor => ({ kind: "user", id: `ta-${tenantId}`, name: `tenant-admin@${tenantId}`, role: "tenant-admin", tenantId });
export const viewerOf = (tenantId: string | null): Actor => ({ kind: "user", id: `v-${tenantId}`, name: `viewer@${tenantId}`, role: "viewer", tenantId });
