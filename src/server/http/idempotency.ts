import { createHash, randomUUID } from "node:crypto";
import { and, eq, lt, sql } from "drizzle-orm";
import { env } from "@/env";
import type { Database, Transaction } from "@/server/db/client";
import { idempotencyKeys } from "@/server/db/schema";
import { DomainError } from "@/server/domain/errors";

export { canonicalJson } from "@/server/boundary/canonical-json";

/** An answer as it is kept and replayed: the body's exact text. */
export type StoredResponse = { status: number; body: string | null; headers: Record<string, string> };

export interface FreshClaim {
  kind: "fresh";
  /**
   * The database the request's operation must use: its first transaction that writes also
   * marks the key as committed, atomically with its own changes, so that whatever happens
   * afterwards the operation is never run again for this key.
   */
  db: Database;
  /** Keeps the answer for replays (the key stays taken). */
  answer(response: StoredResponse): Promise<void>;
  /**
   * The request failed. If nothing was committed the key is freed for a corrected retry;
   * otherwise the failure is the answer that replays get.
   */
  fail(response: StoredResponse): Promise<void>;
}

export type IdempotencyClaim = FreshClaim | { kind: "replay"; response: StoredResponse };

export const requestHash = (fingerprint: string) => createHash("sha256").update(fingerprint).digest("hex");

/**
 * Claims an Idempotency-Key for a caller. The first request with a key owns it; a retry
 * with the same request gets that request's answer, one with another request is 422, and
 * one racing the first is 409. The claim is a row, so instances agree; a claim whose owner
 * died before committing anything is taken over once the operation lease has passed.
 */
export async function claimIdempotencyKey(db: Database, caller: string, key: string, hash: string): Promise<IdempotencyClaim> {
  if (key.length === 0 || key.length > 255) throw new DomainError("BAD_REQUEST", "Idempotency-Key must be 1 to 255 characters");
  const claimId = randomUUID();
  const where = and(eq(idempotencyKeys.caller, caller), eq(idempotencyKeys.key, key), eq(idempotencyKeys.claimId, claimId));
  const fresh = (): FreshClaim => freshClaim(db, where);

  for (let attempt = 0; attempt < 3; attempt++) {
    const [claimed] = await db.insert(idempotencyKeys).values({ caller, key, requestHash: hash, claimId }).onConflictDoNothing().returning({ key: idempotencyKeys.key });
    if (claimed) return fresh();
    const [existing] = await db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.caller, caller), eq(idempotencyKeys.key, key)));
    if (!existing) continue; // freed between our insert and our read: claim again
    if (existing.requestHash !== hash) throw new DomainError("UNPROCESSABLE", "this Idempotency-Key was already used with a different request");
    if (existing.state === "answered" && existing.statusCode !== null) {
      return { kind: "replay", response: { status: existing.statusCode, body: existing.responseBody, headers: existing.headers ?? {} } };
    }
    if (existing.state === "in-flight") {
      const [taken] = await db
        .update(idempotencyKeys)
        .set({ claimId, createdAt: sql`now()` })
        .where(
          and(
            eq(idempotencyKeys.caller, caller),
            eq(idempotencyKeys.key, key),
            eq(idempotencyKeys.claimId, existing.claimId),
            eq(idempotencyKeys.state, "in-flight"),
            lt(idempotencyKeys.createdAt, sql`now() - make_interval(secs => ${env().HELMDECK_OPERATION_LEASE_SECONDS})`),
          ),
        )
        .returning({ key: idempotencyKeys.key });
      if (taken) return fresh();
      throw new DomainError("CONFLICT", "a request with this Idempotency-Key is still in progress");
    }
    const stale = Date.now() - existing.createdAt.getTime() > env().HELMDECK_OPERATION_LEASE_SECONDS * 1000;
    throw new DomainError(
      "CONFLICT",
      stale
        ? "the first request with this Idempotency-Key changed state but its answer was lost (the server stopped); it is not run again: read the resource instead"
        : "a request with this Idempotency-Key is still in progress",
    );
  }
  throw new DomainError("CONFLICT", "a request with this Idempotency-Key is being retried concurrently");
}

function freshClaim(db: Database, where: ReturnType<typeof and>): FreshClaim {
  let committed = false;
  // Marks the key in the transaction that is about to commit, if that transaction changed
  // anything: PostgreSQL gives a transaction an id at its first write (or row lock), so a
  // read-only one (a lease check that found nothing to reclaim) leaves the key free.
  const markIfWritten = (tx: Transaction) =>
    tx
      .update(idempotencyKeys)
      .set({ state: "committed" })
      .where(and(where, eq(idempotencyKeys.state, "in-flight"), sql`pg_current_xact_id_if_assigned() is not null`))
      .returning({ key: idempotencyKeys.key });
  // The same database, except that each transaction until the first that writes also marks the key.
  const marking = Object.create(db) as Database;
  marking.transaction = (async (run: (tx: Transaction) => Promise<unknown>, config?: unknown) => {
    if (committed) return db.transaction(run, config as never);
    let marked = false;
    const result = await db.transaction(async (tx) => {
      const value = await run(tx);
      marked = (await markIfWritten(tx)).length > 0;
      return value;
    }, config as never);
    committed ||= marked;
    return result;
  }) as Database["transaction"];

  const store = (response: StoredResponse) =>
    db.update(idempotencyKeys).set({ state: "answered", statusCode: response.status, responseBody: response.body, headers: response.headers }).where(where);
  return {
    kind: "fresh",
    db: marking,
    answer: async (response) => {
      await store(response);
    },
    fail: async (response) => {
      const freed = await db
        .delete(idempotencyKeys)
        .where(and(where, eq(idempotencyKeys.state, "in-flight")))
        .returning({ key: idempotencyKeys.key });
      if (freed.length === 0) await store(response);
    },
  };
}
