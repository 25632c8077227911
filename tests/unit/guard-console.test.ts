import { describe, expect, it } from "vitest";
import { guardConsole } from "@/server/observability/guard-console";

/** An error shaped as drizzle's wrapper is: its message repeats the statement's parameters. */
class FailedQuery extends Error {
  constructor(
    readonly query: string,
    readonly params: unknown[],
  ) {
    super(`Failed query: ${query}\nparams: ${params.join(",")}`);
  }
}

describe("console guard", () => {
  it("prints errors given to console.error and console.warn as safe summaries, other arguments unchanged", () => {
    const written: unknown[][] = [];
    const target = { error: (...a: unknown[]) => written.push(a), warn: (...a: unknown[]) => written.push(a), log: () => {} } as unknown as Console;
    guardConsole(target);
    guardConsole(target);
    target.error("⨯", new FailedQuery('insert into "revisions" ("values") values ($1)', ["tenant-secret"]));
    target.warn("plain text", 42);
    expect(written).toHaveLength(2);
    expect(written[0]![0]).toBe("⨯");
    expect(String(written[0]![1])).toContain('insert into \\"revisions\\"');
    expect(JSON.stringify(written)).not.toContain("tenant-secret");
    expect(written[1]).toEqual(["plain text", 42]);
  });
});
