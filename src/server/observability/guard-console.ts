import { describeError } from "./describe-error";

const GUARDED = Symbol.for("helmdeck.console-guarded");

/**
 * The last line of defence for errors Helmdeck does not log itself: Next.js prints an error
 * that escapes a page or a route with console.error, and a database error's message holds its
 * SQL parameters (tenants' values). Error arguments of console.error and console.warn are
 * printed as the same safe summary the logger writes; everything else passes unchanged.
 */
export function guardConsole(target: Console = console): void {
  const marked = target as Console & { [GUARDED]?: true };
  if (marked[GUARDED]) return;
  marked[GUARDED] = true;
  for (const level of ["error", "warn"] as const) {
    const original = target[level].bind(target);
    target[level] = (...args: unknown[]) => original(...args.map((arg) => (arg instanceof Error ? `${JSON.stringify(describeError(arg))}` : arg)));
  }
}
