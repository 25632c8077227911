import { describe, expect, it } from "vitest";
import { diffValues, parseValuesYaml, toYaml } from "@/components/values";

describe("revision diff in the UI", () => {
  it("walks maps by path and compares lists whole, as Helm merges them", () => {
    const from = { replicaCount: 2, image: { tag: "2.5.1", repository: "r" }, hosts: ["a"], gone: 1 };
    const to = { replicaCount: 3, image: { tag: "2.6.0", repository: "r" }, hosts: ["a", "b"], metrics: { enabled: true } };
    expect(diffValues(from, to)).toEqual([
      { path: "gone", op: "removed", from: 1 },
      { path: "hosts", op: "changed", from: ["a"], to: ["a", "b"] },
      { path: "image.tag", op: "changed", from: "2.5.1", to: "2.6.0" },
      { path: "metrics", op: "added", to: { enabled: true } },
      { path: "replicaCount", op: "changed", from: 2, to: 3 },
    ]);
  });

  it("finds nothing between equal values", () => {
    expect(diffValues({ a: { b: [1, { c: 2 }] } }, { a: { b: [1, { c: 2 }] } })).toEqual([]);
  });
});

describe("values override editor", () => {
  it("treats an empty editor as no override", () => {
    expect(parseValuesYaml("  \n")).toEqual({ ok: true, value: undefined });
  });
  it("parses a YAML map", () => {
    expect(parseValuesYaml("replicaCount: 4\nengine:\n  workers: 6\n")).toEqual({ ok: true, value: { replicaCount: 4, engine: { workers: 6 } } });
  });
  it("names the line of a syntax error", () => {
    const parsed = parseValuesYaml("a: 1\nb: [1, 2\n");
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(/line \d+/);
  });
  it("refuses lists, scalars and duplicate keys", () => {
    expect(parseValuesYaml("- a\n- b").ok).toBe(false);
    expect(parseValuesYaml("42").ok).toBe(false);
    expect(parseValuesYaml("a: 1\na: 2").ok).toBe(false);
  });
  it("renders values back as YAML", () => {
    expect(toYaml({})).toBe("{}\n");
    expect(toYaml({ a: { b: 1 } })).toBe("a:\n  b: 1\n");
  });
});
