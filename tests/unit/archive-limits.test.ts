import { describe, expect, it } from "vitest";
import { MAX_EXPANDED_BYTES, MAX_FILE_BYTES, readChartArchive } from "@/server/domain/charts/read-chart-archive";
import { refusal } from "../helpers/archive-refusal";
import { chartYaml, tarGz } from "../helpers/tar-builder";

const chart = (values: string, extraChart = "") =>
  tarGz([
    { path: "demo/Chart.yaml", body: chartYaml("demo", "1.0.0", extraChart) },
    { path: "demo/values.yaml", body: values },
  ]);

const manyKeys = (n: number) => Array.from({ length: n }, (_, i) => `k${i}: 1`).join("\n");

describe("YAML in chart archives is read with limits", () => {
  it("reads 100k keys of values.yaml in linear time (no pairwise duplicate check)", () => {
    const { input } = readChartArchive(chart(manyKeys(100_000)));
    expect(Object.keys(input.defaultValues)).toHaveLength(100_000);
    // Pairwise, 100k keys took minutes; linear, seconds even on a loaded machine.
  }, 60_000);

  it("still refuses a duplicate key, wherever it is", () => {
    const values = `${manyKeys(1000)}\nnested:\n  a: 1\n  b: 2\n  a: 3\n`;
    expect(refusal(chart(values))).toMatchObject({ httpStatus: 422, message: expect.stringMatching(/unique.*a repeats/) });
  });

  it("refuses a file over 1 MiB with 413", () => {
    const big = `blob: "${"x".repeat(MAX_FILE_BYTES)}"\n`;
    expect(refusal(chart(big)).httpStatus).toBe(413);
  }, 60_000);

  it("refuses aliases that expand past 10 MiB with 413, and more than 100 aliases with 422", () => {
    const list = `[${Array.from({ length: 60_000 }, (_, i) => i + 100_000).join(",")}]`;
    const expanding = [`base: &big ${list}`, ...Array.from({ length: 99 }, (_, i) => `copy${i}: *big`)].join("\n");
    expect(expanding.length).toBeLessThan(MAX_FILE_BYTES);
    const expanded = refusal(chart(expanding));
    expect(expanded.httpStatus).toBe(413);
    expect(expanded.message).toMatch(new RegExp(`at most ${MAX_EXPANDED_BYTES}`));

    const many = ["base: &a 1", ...Array.from({ length: 101 }, (_, i) => `c${i}: *a`)].join("\n");
    expect(refusal(chart(many))).toMatchObject({ httpStatus: 422, message: expect.stringMatching(/more than 100 aliases/) });
  }, 60_000);

  it("refuses an alias to its own ancestor instead of recursing forever", () => {
    expect(refusal(chart("loop: &a\n  self: *a\n")).httpStatus).toBe(422);
  });

  it("refuses NUL and lone surrogates in any file, with the file and path", () => {
    expect(refusal(chart('image:\n  tag: "1.0\\0"\n'))).toMatchObject({ httpStatus: 422, errors: [{ path: "values.yaml.image.tag", message: expect.stringMatching(/NUL/) }] });
    expect(refusal(chart('name: "\\ud800"\n')).errors?.[0]).toMatchObject({ path: "values.yaml.name", message: expect.stringMatching(/surrogate/) });
    expect(refusal(chart("a: 1\n", 'description: "bad\\0"\n')).errors?.[0]?.path).toBe("Chart.yaml.description");
    const schema = tarGz([
      { path: "demo/Chart.yaml", body: chartYaml("demo", "1.0.0") },
      { path: "demo/values.schema.json", body: '{"title":"\\u0000"}' },
    ]);
    expect(refusal(schema).errors?.[0]?.path).toBe("values.schema.json.title");
  });
});
