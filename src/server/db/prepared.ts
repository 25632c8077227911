import type { Database } from "./client";

/**
 * A query built and prepared once per database handle, for the hottest reads: drizzle skips
 * rebuilding its SQL and PostgreSQL reuses the statement's parse and plan on each connection
 * (postgres-js keeps prepared statements per connection). Only for statements whose plan
 * does not depend on the values bound to them.
 */
export function preparedPerDatabase<T>(build: (db: Database) => T): (db: Database) => T {
  const byDatabase = new WeakMap<Database, T>();
  return (db) => {
    let prepared = byDatabase.get(db);
    if (prepared === undefined) {
      prepared = build(db);
      byDatabase.set(db, prepared);
    }
    return prepared;
  };
}
