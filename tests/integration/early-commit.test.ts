import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { pipelinedWithCommit } from "@/server/db/pipeline";
import { rowsOf } from "@/server/db/raw";
import { tenants } from "@/server/db/schema";
import { describeEachDatabase } from "../helpers/databases";

const insertTenant = (slug: string) => sql`insert into tenants (slug, name, environment) values (${slug}, ${slug}, 'development')`;
const exists = async (db: ReturnType<Parameters<Parameters<typeof describeEachDatabase>[1]>[0]>["db"], slug: string) =>
  (await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, slug))).length === 1;

describeEachDatabase("a COMMIT sent with a transaction's last statements", (getDb) => {
  it("runs after every statement before it, query builder and raw SQL alike, in the order they were given", async () => {
    const { db } = getDb();
    const slug = `order-${randomUUID().slice(0, 8)}`;
    const answers = await db.transaction((tx) =>
      pipelinedWithCommit(tx, [
        () => tx.insert(tenants).values({ slug, name: slug, environment: "staging" }),
        () => tx.execute(sql`select count(*)::int as n from tenants where slug = ${slug}`),
        () => tx.update(tenants).set({ name: `${slug}-renamed` }).where(eq(tenants.slug, slug)),
        () => tx.execute(sql`select name from tenants where slug = ${slug}`),
      ]),
    );
    expect(rowsOf<{ n: number }>(answers[1])[0]!.n).toBe(1);
    expect(rowsOf<{ name: string }>(answers[3])[0]!.name).toBe(`${slug}-renamed`);
    expect(await exists(db, slug)).toBe(true);
  });

  it("commits what they wrote, and the connection serves the next transaction", async () => {
    const { db } = getDb();
    const slug = `early-${randomUUID().slice(0, 8)}`;
    const answers = await db.transaction((tx) => pipelinedWithCommit(tx, [() => tx.execute(insertTenant(slug)), () => tx.execute(sql`select 41 + 1 as n`)]));
    expect(answers).toHaveLength(2);
    expect(rowsOf<{ n: number }>(answers[1])[0]!.n).toBe(42);
    expect(await exists(db, slug)).toBe(true);
    // Every connection of the pool still opens and commits transactions of its own.
    const next = Array.from({ length: 12 }, (_, i) => `${slug}-${i}`);
    await Promise.all(next.map((s) => db.transaction(async (tx) => void (await tx.execute(insertTenant(s))))));
    for (const s of next) expect(await exists(db, s)).toBe(true);
  });

  it("rolls back everything when one of them fails in SQL, although COMMIT was already sent", async () => {
    const { db } = getDb();
    const slug = `refused-${randomUUID().slice(0, 8)}`;
    await expect(
      db.transaction((tx) =>
        pipelinedWithCommit(tx, [() => tx.execute(insertTenant(slug)), () => tx.execute(sql`select helmdeck_refuse_batch_change(${randomUUID()})`), () => tx.execute(insertTenant(`${slug}-after`))]),
      ),
    ).rejects.toThrow();
    expect(await exists(db, slug)).toBe(false);
    expect(await exists(db, `${slug}-after`)).toBe(false);
    const again = `${slug}-again`;
    await db.transaction(async (tx) => void (await tx.execute(insertTenant(again))));
    expect(await exists(db, again)).toBe(true);
  });
});
