import { and, eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { idempotencyKeys, tenants } from "@/server/db/schema";
import { claimIdempotencyKey, requestHash, type FreshClaim } from "@/server/http/idempotency";
import { describeEachDatabase } from "../helpers/databases";
import { unique } from "../helpers/fixtures";

const internalError = { status: 500, body: '{"title":"Internal Server Error","detail":"internal error"}', headers: { "content-type": "application/problem+json" } };

describeEachDatabase("idempotency keys", (getDb) => {
  const fresh = async (key: string, hash = requestHash("POST /x\nbody")) => {
    const claim = await claimIdempotencyKey(getDb().db, "token:t1", key, hash);
    expect(claim.kind).toBe("fresh");
    return claim as FreshClaim;
  };

  it("never runs again an operation whose transaction committed, even when its request then failed with 500", async () => {
    const { db } = getDb();
    const key = unique("key");
    const first = await fresh(key);
    const slug = unique("t");
    // The operation's first transaction commits (and marks the key in that same transaction)…
    await first.db.transaction(async (tx) => {
      await tx.insert(tenants).values({ slug, name: "made once", environment: "development" });
    });
    // …then something fails before the answer is written.
    await first.fail(internalError);

    const retry = await claimIdempotencyKey(db, "token:t1", key, requestHash("POST /x\nbody"));
    expect(retry).toEqual({ kind: "replay", response: internalError });
    expect(await db.select().from(tenants).where(eq(tenants.slug, slug))).toHaveLength(1);
  });

  it("frees the key when the operation committed nothing (read-only or rolled back), so a corrected retry runs", async () => {
    const { db } = getDb();
    const key = unique("key");
    const first = await fresh(key);
    // A transaction that only reads commits nothing: e.g. a lease check that found nothing to reclaim.
    await first.db.transaction(async (tx) => tx.select().from(tenants).limit(1));
    await first.db
      .transaction(async (tx) => {
        await tx.insert(tenants).values({ slug: unique("t"), name: "rolled back", environment: "development" });
        throw new Error("validation failed inside the transaction");
      })
      .catch(() => undefined);
    await first.fail({ status: 422, body: "{}", headers: {} });
    const [row] = await db.select().from(idempotencyKeys).where(and(eq(idempotencyKeys.caller, "token:t1"), eq(idempotencyKeys.key, key)));
    expect(row).toBeUndefined();
    await fresh(key);
  });

  it("keeps the answer's exact text and replays it; another request under the key is 422; a racing one 409", async () => {
    const { db } = getDb();
    const key = unique("key");
    const first = await fresh(key);
    await expect(claimIdempotencyKey(db, "token:t1", key, requestHash("POST /x\nbody"))).rejects.toMatchObject({ httpStatus: 409 });
    const answer = { status: 201, body: '{"z":1,"a":2}', headers: { "content-type": "application/json", location: "/api/v1/x/1" } };
    await first.answer(answer);
    expect(await claimIdempotencyKey(db, "token:t1", key, requestHash("POST /x\nbody"))).toEqual({ kind: "replay", response: answer });
    await expect(claimIdempotencyKey(db, "token:t1", key, requestHash("POST /x\nother"))).rejects.toMatchObject({ httpStatus: 422 });
    // Keys are per caller.
    expect((await claimIdempotencyKey(db, "token:t2", key, requestHash("POST /x\nbody"))).kind).toBe("fresh");
  });

  it("lets a new request take over a claim whose owner died before committing, once the lease has passed", async () => {
    const { db } = getDb();
    const key = unique("key");
    await fresh(key);
    await db
      .update(idempotencyKeys)
      .set({ createdAt: sql`now() - interval '1 day'` })
      .where(and(eq(idempotencyKeys.caller, "token:t1"), eq(idempotencyKeys.key, key)));
    await fresh(key);
    // A committed claim is never taken over: its operation ran.
    const committed = unique("key");
    const owner = await fresh(committed);
    await owner.db.transaction(async (tx) => {
      await tx.insert(tenants).values({ slug: unique("t"), name: "committed", environment: "development" });
    });
    await db
      .update(idempotencyKeys)
      .set({ createdAt: sql`now() - interval '1 day'` })
      .where(and(eq(idempotencyKeys.caller, "token:t1"), eq(idempotencyKeys.key, committed)));
    await expect(claimIdempotencyKey(db, "token:t1", committed, requestHash("POST /x\nbody"))).rejects.toMatchObject({ httpStatus: 409, message: expect.stringMatching(/not run again/) });
  });
});
