import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Database } from "@/server/db/client";
import { idempotencyKeys } from "@/server/db/schema";
import { DomainError } from "@/server/domain/errors";

export type StoredResponse = { status: number; body: unknown; headers: Record<string, string> };

export type IdempotencyClaim = { kind: "fresh"; complete: (response: StoredResponse) => Promise<void>; abandon: () => Promise<void> } | { kind: "replay"; response: StoredResponse };

/**
 * Claims an Idempotency-Key for a caller. The first request with a key owns it until it
 * answers; a retry with the same body gets that answer, one with another body is 422, and
 * one racing the first is 409. The claim is a row insert, so instances agree.
 */
export async function claimIdempotencyKey(db: Database, caller: string, key: string, fingerprint: string): Promise<IdempotencyClaim> {
  if (key.length === 0 || key.length > 255) {
    throw new DomainError("BAD_REQUEST", "Idempotency-Key must be 1 to 255 characters");
  }
  const requestHash = createHash("sha256").update(fingerprint).digest("hex");
  const where = and(eq(idempotencyKeys.caller, caller), eq(idempotencyKeys.key, key));
  const [claimed] = await db.insert(idempotencyKeys).values({ caller, key, requestHash }).onConflictDoNothing().returning();
  if (claimed) {
    return {
      kind: "fresh",
      complete: async (response) => {
        await db.update(idempotencyKeys).set({ statusCode: response.status, response: response.body, headers: response.headers }).where(where);
      },
      // A request that failed changed nothing: the key is free for a corrected retry.
      abandon: async () => {
        await db.delete(idempotencyKeys).where(where);
      },
    };
  }
  const [existing] = await db.select().from(idempotencyKeys).where(where);
  if (!existing) throw new DomainError("CONFLICT", "a request with this Idempotency-Key was just abandoned; retry");
  if (existing.requestHash !== requestHash) {
    throw new DomainError("UNPROCESSABLE", "this Idempotency-Key was already used with a different request body");
  }
  if (existing.statusCode === null) throw new DomainError("CONFLICT", "a request with this Idempotency-Key is still in progress");
  return { kind: "replay", response: { status: existing.statusCode, body: existing.response, headers: existing.headers ?? {} } };
}
