import { describe, expect, it } from "vitest";
import { upgradeOptions } from "@/contracts/releases";
import { diffValues } from "@/server/domain/values/diff-values";

const nest = (depth: number): Record<string, unknown> => (depth === 0 ? { leaf: 1 } : { n: nest(depth - 1) });

describe("valuesOverride input", () => {
  it.each(["__proto__", "constructor", "prototype"])("rejects the key %s at any depth, naming its path", (key) => {
    const body = JSON.parse(`{"chartVersion":"1.0.0","valuesOverride":{"a":{"${key}":{"x":1}}}}`);
    const result = upgradeOptions.safeParse(body);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual(["valuesOverride", "a", key]);
  });

  it("rejects nesting deeper than 32 and accepts 32", () => {
    expect(upgradeOptions.safeParse({ chartVersion: "1.0.0", valuesOverride: nest(30) }).success).toBe(true);
    expect(upgradeOptions.safeParse({ chartVersion: "1.0.0", valuesOverride: nest(40) }).success).toBe(false);
  });

  it("must be an object", () => {
    for (const v of [[], "x", 1, null]) expect(upgradeOptions.safeParse({ chartVersion: "1.0.0", valuesOverride: v }).success).toBe(false);
  });
});

describe("values diff", () => {
  it("lists added, changed and removed paths; arrays compare whole", () => {
    expect(diffValues({ image: { tag: "1", pull: "x" }, ports: [80], gone: 1 }, { image: { tag: "2", pull: "x" }, ports: [80, 443], added: { a: 1 } })).toEqual([
      { path: "added", op: "added", to: { a: 1 } },
      { path: "gone", op: "removed", from: 1 },
      { path: "image.tag", op: "changed", from: "1", to: "2" },
      { path: "ports", op: "changed", from: [80], to: [80, 443] },
    ]);
  });
});
