import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { readChartArchive } from "@/server/domain/charts/read-chart-archive";
import { refusal } from "../helpers/archive-refusal";
import { chartYaml, tarGz } from "../helpers/tar-builder";

describe("reading a packaged chart", () => {
  it("reads Chart.yaml, values.yaml, values.schema.json and Artifact Hub changes", () => {
    const annotations = `annotations:\n  artifacthub.io/changes: |\n    - kind: security\n      description: Fix CVE\n    - Plain text change\n`;
    const { input, digest } = readChartArchive(
      tarGz([
        { path: "demo/", type: "5" },
        { path: "demo/Chart.yaml", body: chartYaml("demo", "1.4.0", `deprecated: true\n${annotations}`) },
        { path: "demo/values.yaml", body: "replicaCount: 2\nimage:\n  tag: '1.4'\n" },
        { path: "demo/values.schema.json", body: JSON.stringify({ type: "object" }) },
        { path: "demo/templates/deployment.yaml", body: "kind: Deployment" },
      ]),
    );
    expect(input).toMatchObject({
      name: "demo",
      version: "1.4.0",
      appVersion: "9.9",
      deprecated: true,
      defaultValues: { replicaCount: 2, image: { tag: "1.4" } },
      valuesSchema: { type: "object" },
      changes: [
        { kind: "security", description: "Fix CVE" },
        { kind: "changed", description: "Plain text change" },
      ],
    });
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
  });

  it("refuses a body that is not gzip", () => {
    expect(refusal(Buffer.from("PK\u0003\u0004 zip, not gzip")).httpStatus).toBe(400);
  });

  it("refuses a path leaving the chart, an absolute path, and links", () => {
    const base = { path: "demo/Chart.yaml", body: chartYaml("demo", "1.0.0") };
    expect(refusal(tarGz([base, { path: "demo/../../etc/passwd", body: "x" }])).message).toMatch(/leaving the chart/);
    expect(refusal(tarGz([base, { path: "/etc/passwd", body: "x" }])).message).toMatch(/absolute/);
    expect(refusal(tarGz([base, { path: "demo/link", type: "2", linkTarget: "/etc/passwd" }])).message).toMatch(/SymbolicLink/);
    expect(refusal(tarGz([base, { path: "demo/hard", type: "1", linkTarget: "demo/Chart.yaml" }])).message).toMatch(/Link/);
  });

  it("refuses an archive without <name>/Chart.yaml or with several top-level directories", () => {
    expect(refusal(tarGz([{ path: "demo/values.yaml", body: "a: 1" }])).message).toMatch(/no demo\/Chart.yaml/);
    expect(refusal(tarGz([{ path: "Chart.yaml", body: chartYaml("demo", "1.0.0") }])).message).toMatch(/no Chart.yaml/);
    expect(refusal(tarGz([{ path: "a/Chart.yaml", body: chartYaml("a", "1.0.0") }, { path: "b/x", body: "" }])).message).toMatch(/exactly one top-level/);
  });

  it("stops inflating a gzip bomb at 20 MiB", () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    expect(refusal(bomb).httpStatus).toBe(413);
  });

  it("refuses invalid metadata with field errors", () => {
    const error = refusal(tarGz([{ path: "demo/Chart.yaml", body: chartYaml("demo", "v1") }]));
    expect(error.httpStatus).toBe(422);
    expect(error.errors?.[0]?.path).toBe("Chart.yaml:version");
  });
});
