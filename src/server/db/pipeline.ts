import { sql } from "drizzle-orm";
import type { Transaction } from "./client";
import { earlyCommit } from "./prepared-statements";

/** One statement of a transaction, not yet sent. */
export type Statement = () => PromiseLike<unknown>;

/**
 * Sends the statements of one transaction in this order without waiting for each answer:
 * postgres-js writes them to the connection back to back (pipelining), so independent
 * statements cost one round trip; PGlite runs them one after another. The first failure
 * rejects, and the transaction rolls back as with sequential awaits.
 */
export function pipelined(statements: Statement[]): Promise<unknown[]> {
  // Drizzle queries are lazy thenables: calling then() here, in order, is what sends them in order.
  return Promise.all(statements.map((statement) => new Promise((resolve, reject) => statement().then(resolve, reject))));
}

/**
 * The last statements of a transaction, pipelined with its COMMIT where the driver can
 * (postgres-js), so that the commit costs no round trip of its own. Only for statements that
 * fail in SQL when a check of theirs does not hold: no answer is read before the COMMIT.
 */
export async function pipelinedWithCommit(tx: Transaction, statements: Statement[]): Promise<unknown[]> {
  // Drizzle keeps the driver's transaction client on the session.
  const committing = earlyCommit((tx as unknown as { session?: { client?: unknown } }).session?.client);
  if (!committing) return pipelined(statements);
  // Through Drizzle like the others: it hands a statement to the driver a few microtasks after
  // then(), so a COMMIT sent to the driver directly would overtake them.
  const answers = await pipelined([
    ...statements,
    () => {
      committing();
      return tx.execute(sql.raw("commit"));
    },
  ]);
  return answers.slice(0, -1);
}
