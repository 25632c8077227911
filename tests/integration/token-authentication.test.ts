import { eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { actorFromToken, forgetToken, hashToken, TOKEN_CACHE_SECONDS } from "@/server/auth/api-tokens";
import type { Database } from "@/server/db/client";
import { apiTokens } from "@/server/db/schema";
import { createToken, revokeToken } from "@/server/domain/tokens/manage-tokens";
import { describeEachDatabase } from "../helpers/databases";
import { contextFor, unique } from "../helpers/fixtures";

/** The row version: xmin changes with every UPDATE of the row, even one that writes the same values. */
async function rowVersion(db: Database, id: string): Promise<string> {
  const [row] = await db.select({ xmin: sql<string>`xmin::text`, lastUsedAt: apiTokens.lastUsedAt }).from(apiTokens).where(eq(apiTokens.id, id));
  return `${row!.xmin} ${row!.lastUsedAt?.toISOString()}`;
}

async function eventually(condition: () => Promise<boolean>, withinMs: number): Promise<number> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > withinMs) throw new Error(`not within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - start;
}

describeEachDatabase("authenticating with an API token", (getDb) => {
  it("records the first use, then writes nothing for the next requests", async () => {
    const { db } = getDb();
    const token = await createToken({ ctx: contextFor(db), input: { name: unique("reader"), role: "viewer" } });
    const before = await rowVersion(db, token.id);
    expect(await actorFromToken(db, token.token)).toMatchObject({ kind: "token", id: token.id, role: "viewer", tenantId: null });
    const afterFirst = await rowVersion(db, token.id);
    expect(afterFirst).not.toBe(before);
    expect(afterFirst).not.toMatch(/undefined$/);

    for (let i = 0; i < 50; i++) expect((await actorFromToken(db, token.token))?.id).toBe(token.id);
    // A fresh read after the cache has been dropped writes nothing either: the last use is recent.
    forgetToken(hashToken(token.token));
    expect((await actorFromToken(db, token.token))?.id).toBe(token.id);
    expect(await rowVersion(db, token.id)).toBe(afterFirst);
  });

  it("records the last use again once it is more than a minute old, once", async () => {
    const { db } = getDb();
    const token = await createToken({ ctx: contextFor(db), input: { name: unique("reader"), role: "viewer" } });
    await db.update(apiTokens).set({ lastUsedAt: sql`now() - interval '2 minutes'` }).where(eq(apiTokens.id, token.id));
    const stale = await rowVersion(db, token.id);
    await Promise.all(Array.from({ length: 10 }, () => actorFromToken(db, token.token)));
    const recorded = await rowVersion(db, token.id);
    expect(recorded).not.toBe(stale);
    const [row] = await db.select({ age: sql<number>`extract(epoch from now() - ${apiTokens.lastUsedAt})::float8` }).from(apiTokens).where(eq(apiTokens.id, token.id));
    expect(row!.age).toBeLessThan(30);
    await actorFromToken(db, token.token);
    expect(await rowVersion(db, token.id)).toBe(recorded);
  });

  it("refuses a token revoked here at once, and one revoked by another instance within the cache time", async () => {
    const { db } = getDb();
    const ctx = contextFor(db);
    const here = await createToken({ ctx, input: { name: unique("here"), role: "viewer" } });
    expect(await actorFromToken(db, here.token)).not.toBeNull();
    await revokeToken({ ctx, tokenId: here.id });
    expect(await actorFromToken(db, here.token)).toBeNull();

    const elsewhere = await createToken({ ctx, input: { name: unique("elsewhere"), role: "viewer" } });
    expect(await actorFromToken(db, elsewhere.token)).not.toBeNull();
    // Another instance revokes it: this one keeps trusting its cache (no round trip) for a few seconds at most.
    await db.update(apiTokens).set({ revokedAt: sql`now()` }).where(eq(apiTokens.id, elsewhere.id));
    expect(await actorFromToken(db, elsewhere.token)).not.toBeNull();
    const took = await eventually(async () => (await actorFromToken(db, elsewhere.token)) === null, TOKEN_CACHE_SECONDS * 1000 + 1000);
    expect(took).toBeLessThanOrEqual(TOKEN_CACHE_SECONDS * 1000 + 1000);
  });

  it("never caches a token past its expiry, nor an unknown token", async () => {
    const { db } = getDb();
    const ctx = contextFor(db);
    const expiring = await createToken({ ctx, input: { name: unique("expiring"), role: "viewer", expiresAt: new Date(Date.now() + 1500).toISOString() } });
    expect(await actorFromToken(db, expiring.token)).not.toBeNull();
    await eventually(async () => (await actorFromToken(db, expiring.token)) === null, 3000);
    expect(await actorFromToken(db, "hd_no-such-token-anywhere")).toBeNull();
  });
});
