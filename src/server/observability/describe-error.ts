/**
 * What of an error may be logged. Database errors carry the statement and its parameters
 * (drizzle's DrizzleQueryError puts both in its message: one failing insert logged 16 MB of
 * tenants' values), and PostgreSQL's `detail` quotes row values. So fields are picked, never
 * copied: the class, the SQLSTATE and constraint names, at most a cut SQL text, stack frames
 * without the message line, and the same for each cause.
 */
export interface ErrorSummary {
  type: string;
  message?: string;
  code?: string;
  sql?: string;
  constraint?: string;
  table?: string;
  column?: string;
  stack?: string;
  cause?: ErrorSummary;
}

const MAX_SQL = 300;
const MAX_MESSAGE = 300;
const MAX_FRAMES = 12;
const MAX_DEPTH = 3;

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…[${text.length - max} more]` : text);
const stringField = (e: Record<string, unknown>, ...names: string[]) => {
  for (const name of names) if (typeof e[name] === "string") return e[name];
  return undefined;
};

/** Only the `at …` lines: an error's stack starts with its message, which may hold the SQL and its parameters. */
function frames(stack: unknown): string | undefined {
  if (typeof stack !== "string") return undefined;
  const lines = stack.split("\n").filter((line) => /^\s+at /.test(line));
  return lines.length > 0 ? lines.slice(0, MAX_FRAMES).join("\n") : undefined;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * A PostgreSQL message is kept except for data exceptions (class 22: "invalid input syntax
 * for type uuid: \"…\"" quotes the input) and PL/pgSQL raises (class P0: any text a
 * function chose); those keep only their code.
 */
const messageMayQuoteValues = (sqlState: string) => sqlState.startsWith("22") || sqlState.startsWith("P0");

export function describeError(error: unknown, depth = 0): ErrorSummary {
  if (!(error instanceof Error)) return { type: typeof error, ...(typeof error === "string" ? { message: cut(error, MAX_MESSAGE) } : {}) };
  const e = error as unknown as Record<string, unknown>;
  // Told by shape, not class name: a bundler may rename drizzle's classes (which keep the name "Error").
  const drizzleWrapper = typeof e.query === "string" && Array.isArray(e.params) && error.message.startsWith("Failed query:");
  const type = drizzleWrapper ? "DrizzleQueryError" : error.name && error.name !== "Error" ? error.name : error.constructor?.name || "Error";
  const cause = depth < MAX_DEPTH && e.cause !== undefined ? describeError(e.cause, depth + 1) : undefined;
  const summary: ErrorSummary = { type };

  const isDatabaseError = typeof e.code === "string" && SQLSTATE.test(e.code) && ("severity" in e || "routine" in e);
  if (isDatabaseError) {
    summary.code = e.code as string;
    if (!messageMayQuoteValues(summary.code)) summary.message = cut(error.message, MAX_MESSAGE);
    summary.constraint = stringField(e, "constraint_name", "constraint");
    summary.table = stringField(e, "table_name", "table");
    summary.column = stringField(e, "column_name", "column");
  } else if (!("params" in e || "parameters" in e)) {
    summary.message = cut(error.message, MAX_MESSAGE);
    if (typeof e.code === "string") summary.code = cut(e.code, 40);
  }
  // drizzle's wrapper (and PGlite's error) name the statement with its placeholders; `params`, and the
  // message of the wrapper, which repeats them, stay out.
  if (typeof e.query === "string") summary.sql = cut(e.query, MAX_SQL);
  summary.stack = frames(error.stack);
  if (cause) summary.cause = cause;
  for (const key of Object.keys(summary) as Array<keyof ErrorSummary>) if (summary[key] === undefined) delete summary[key];
  return summary;
}
