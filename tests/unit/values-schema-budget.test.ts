import { describe, expect, it } from "vitest";
import type { JsonObject } from "@/contracts/common";
import { assertUsableSchema, validateValues, VALIDATION_BUDGET_MS } from "@/server/domain/values/validate-values";

describe("values schemas never hold the server", () => {
  it("runs patterns on a linear-time engine: ^(a+)+$ against many a's and a '!' fails the pattern, not the server", () => {
    const schema = { type: "object", properties: { name: { type: "string", pattern: "^(a+)+$" } } };
    const errors = validateValues({ name: `${"a".repeat(100_000)}!` }, schema);
    expect(errors).toEqual([{ path: "valuesOverride.name", message: 'must match pattern "^(a+)+$"' }]);
    expect(validateValues({ name: "aaaa" }, schema)).toEqual([]);
  });

  it("keeps JavaScript pattern meaning for the usual patterns, including patternProperties", () => {
    const schema = { type: "object", patternProperties: { "^x-": { type: "number" } }, properties: { tag: { type: "string", pattern: "^\\d+\\.\\d+$" } } };
    expect(validateValues({ tag: "1.2", "x-a": 1 }, schema)).toEqual([]);
    expect(validateValues({ tag: "v1.2", "x-a": "no" }, schema).map((e) => e.path).sort()).toEqual(["valuesOverride.tag", "valuesOverride.x-a"]);
  });

  it("refuses at publish a pattern that only a backtracking engine can run", () => {
    expect(assertUsableSchema({ properties: { a: { type: "string", pattern: "^(?=a)a$" } } })).toMatch(/lookahead|unsupported|invalid/i);
    expect(assertUsableSchema({ properties: { a: { type: "string", pattern: "^a+$" } } })).toBeNull();
  });

  it("checks uniqueItems in linear time, deep-equal items counting as duplicates", () => {
    const schema = { type: "object", properties: { list: { type: "array", uniqueItems: true } } };
    // Pairwise comparison of 3k items (4.5·10^6 deep-equals) would be cut off by the budget.
    expect(validateValues({ list: Array.from({ length: 3000 }, (_, i) => i) }, schema)).toEqual([]);
    expect(validateValues({ list: Array.from({ length: 3000 }, (_, i) => ({ i })) }, schema)).toEqual([]);
    expect(validateValues({ list: [1, "1", 2, 1] }, schema)).toHaveLength(1);
    expect(validateValues({ list: [{ a: 1, b: 2 }, { b: 2, a: 1 }] }, schema)).toHaveLength(1);
  });

  it("cuts off a schema whose combinators explode, with a field error instead of a frozen server", () => {
    const branch = { type: "object", required: ["x"], properties: { x: { $ref: "#/$defs/a" } } };
    const schema: JsonObject = { $defs: { a: { anyOf: [branch, branch] } }, $ref: "#/$defs/a" };
    let value: JsonObject = { x: 1 };
    for (let i = 0; i < 30; i++) value = { x: value };
    const started = process.hrtime.bigint();
    const errors = validateValues(value, schema);
    expect(errors).toEqual([{ path: "valuesOverride", message: `could not be validated against the chart's values schema within ${VALIDATION_BUDGET_MS} ms` }]);
    // The cut-off happened: the answer came back at all (2^30 evaluations would take hours).
    expect(process.hrtime.bigint() > started).toBe(true);
  });
});
