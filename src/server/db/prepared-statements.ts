import type { Sql } from "postgres";

type Unsafe = (query: string, params?: unknown[], options?: { prepare?: boolean }) => unknown;
type Bound = (...args: unknown[]) => unknown;

/**
 * Drizzle runs every query through postgres-js with `prepare: false`, and postgres-js then
 * describes each statement that has parameters before running it: a second round trip per
 * query, after which nothing else is sent until it answers (no pipelining). Named prepared
 * statements, cached per connection by their text, are described once per connection and
 * then cost one round trip, and the statements of a transaction can be pipelined.
 *
 * This wraps the client (and the connection of every transaction it opens) so that raw
 * queries are prepared. Connections are recycled after `max_lifetime`, which bounds the
 * statement cache for texts that vary (lists of ids of different lengths).
 */
export function preparingStatements<T extends Sql>(sql: T): T {
  return new Proxy(sql, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (property === "unsafe") {
        return (query: string, params?: unknown[], options?: { prepare?: boolean }) => (value as Unsafe).call(target, query, params, { ...options, prepare: true });
      }
      // Only the client has begin(); its transactions run on a reserved connection, wrapped again.
      if (property === "begin") {
        return (...args: unknown[]) => pipelinedBegin(target, args.length > 1 ? String(args[0]) : "", args.at(-1) as (tx: Sql) => unknown);
      }
      return typeof value === "function" ? (value as Bound).bind(target) : value;
    },
  });
}

/**
 * A transaction whose BEGIN travels with its first statement. postgres-js's begin() waits for
 * BEGIN's answer before it runs the body: a round trip per transaction that carries nothing
 * (a batch step is three round trips with it pipelined, four without). If BEGIN failed, the
 * body's statements fail with it. No savepoints: a reserved connection has none, and nothing
 * here nests transactions.
 */
async function pipelinedBegin(client: Sql, options: string, body: (tx: Sql) => unknown): Promise<unknown> {
  const connection = await client.reserve();
  try {
    // then() sends it; its answer (or failure) arrives with the first statement's.
    connection.unsafe(`begin ${options.replace(/[^a-z ]/gi, "")}`).then(
      () => undefined,
      () => undefined,
    );
    const transaction = preparingStatements(connection as unknown as Sql);
    const state = { committed: false };
    earlyCommits.set(transaction, state);
    let result: unknown;
    try {
      result = await body(transaction);
    } catch (e) {
      // After an early COMMIT that failed (or became a rollback) this is a no-op.
      await connection.unsafe("rollback").catch(() => undefined);
      throw e;
    }
    if (!state.committed) await connection.unsafe("commit");
    return result;
  } finally {
    connection.release();
  }
}

/** Transactions opened by pipelinedBegin, and whether their body already sent COMMIT. */
const earlyCommits = new WeakMap<object, { committed: boolean }>();

/**
 * For a body that sends COMMIT itself, behind its last writes and before their answers: one
 * round trip less for a transaction whose statements make their own checks fail in SQL (an
 * error aborts the transaction, and the COMMIT then rolls back). Returns the function to call
 * as it sends the COMMIT (so that none is sent after the body), or null for a client that
 * cannot (PGlite, or not a pipelinedBegin transaction): that one commits when the body returns.
 */
export function earlyCommit(client: unknown): (() => void) | null {
  // A postgres-js client is a function (the tagged template), so is its proxy.
  const state = (typeof client === "function" || typeof client === "object") && client !== null ? earlyCommits.get(client) : undefined;
  if (!state) return null;
  return () => {
    state.committed = true;
  };
}
