/**
 * The clean-stop state of this process, shared by every route bundle through globalThis:
 * whether a stop has begun (readyz answers 503 at once, new writes are refused) and how
 * much work is still in flight (the stop waits for it, up to HELMDECK_SHUTDOWN_SECONDS).
 */
const globalForStop = globalThis as unknown as {
  helmdeckShutdown?: AbortController;
  helmdeckInFlight?: { count: number; idle: Set<() => void> };
};

const inFlight = () => (globalForStop.helmdeckInFlight ??= { count: 0, idle: new Set() });

/**
 * Aborted when a clean stop begins: long requests (a synchronous batch, an event stream)
 * listen to it to answer or end at once instead of being cut off by the exit.
 */
export function shutdownSignal(): AbortSignal {
  return (globalForStop.helmdeckShutdown ??= new AbortController()).signal;
}

export const isStopping = (): boolean => shutdownSignal().aborted;

export function beginStopping(): void {
  (globalForStop.helmdeckShutdown ??= new AbortController()).abort();
}

/**
 * Counts a request (or other unit of work) as in flight until the returned function is called.
 * Work that begins once the stop has begun is not waited for: only reads are still accepted
 * then, and a steady trickle of them must not hold the stop until its deadline.
 */
export function beginWork(): () => void {
  if (isStopping()) return () => {};
  const state = inFlight();
  state.count++;
  let done = false;
  return () => {
    if (done) return;
    done = true;
    state.count--;
    if (state.count === 0) for (const resolve of state.idle) resolve();
  };
}

export const workInFlight = (): number => inFlight().count;

/** Resolves once nothing is in flight. */
export function workDrained(): Promise<void> {
  const state = inFlight();
  if (state.count === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      state.idle.delete(done);
      resolve();
    };
    state.idle.add(done);
  });
}
