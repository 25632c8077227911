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
  const commit = earlyCommit((tx as unknown as { session?: { client?: unknown } }).session?.client);
  if (!commit) return pipelined(statements);
  const answers = pipelined(statements);
  // Awaited below; a failure before then must not count as an unhandled rejection meanwhile.
  answers.catch(() => undefined);
  // Drizzle hands a statement to the driver a few microtasks after then(): COMMIT, sent
  // directly, would overtake them. After this turn every one of them is in the driver's queue
  // (which keeps its order, also behind a statement it must first describe), and still
  // unanswered: no round trip is waited for.
  await new Promise((resolve) => setImmediate(resolve));
  const [results] = await Promise.all([answers, commit()]);
  return results;
}
