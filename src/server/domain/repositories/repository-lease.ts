import { and, asc, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Database } from "@/server/db/client";
import { helmRepositories } from "@/server/db/schema";
import type { RepositoryRow } from "./repository-view";

/** Longer than any sync takes with its timeouts; a crashed instance's claim lapses after it. */
const LEASE = sql`now() + interval '10 minutes'`;
const free = or(isNull(helmRepositories.leaseUntil), lt(helmRepositories.leaseUntil, sql`now()`));

/** Claims one repository for a sync by `owner`: a conditional UPDATE, so two instances never sync it at once. */
export async function claimRepository(db: Database, id: string, owner: string): Promise<RepositoryRow | undefined> {
  const [row] = await db
    .update(helmRepositories)
    .set({ leaseOwner: owner, leaseUntil: LEASE })
    .where(and(eq(helmRepositories.id, id), free))
    .returning();
  return row;
}

/**
 * Claims the enabled repository most overdue for its periodic sync, if any. SKIP LOCKED
 * lets instances claim different repositories side by side without waiting on each other.
 */
export async function claimDueRepository(db: Database, owner: string): Promise<RepositoryRow | undefined> {
  const due = db
    .select({ id: helmRepositories.id })
    .from(helmRepositories)
    .where(
      and(
        eq(helmRepositories.enabled, true),
        free,
        or(isNull(helmRepositories.lastSyncAt), sql`${helmRepositories.lastSyncAt} + make_interval(secs => ${helmRepositories.intervalSeconds}) <= now()`),
      ),
    )
    .orderBy(sql`${helmRepositories.lastSyncAt} asc nulls first`, asc(helmRepositories.id))
    .limit(1)
    .for("update", { skipLocked: true });
  const [row] = await db
    .update(helmRepositories)
    .set({ leaseOwner: owner, leaseUntil: LEASE })
    .where(sql`${helmRepositories.id} in (${due})`)
    .returning();
  return row;
}

export async function releaseRepository(db: Database, id: string, owner: string): Promise<void> {
  await db
    .update(helmRepositories)
    .set({ leaseOwner: null, leaseUntil: null })
    .where(and(eq(helmRepositories.id, id), eq(helmRepositories.leaseOwner, owner)));
}

/**
 * Extends a claim while a long sync downloads archive after archive. Losing it does no harm
 * to the catalog (a publish is decided by its unique key); it only lets another instance in.
 */
export async function renewRepository(db: Database, id: string, owner: string): Promise<void> {
  await db
    .update(helmRepositories)
    .set({ leaseUntil: LEASE })
    .where(and(eq(helmRepositories.id, id), eq(helmRepositories.leaseOwner, owner)));
}
