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
