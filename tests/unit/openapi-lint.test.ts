import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { openApiDocument } from "@/server/http/openapi";

const redocly = path.resolve("node_modules/.bin/redocly");

it("the OpenAPI document passes Redocly's recommended ruleset without a warning", () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "helmdeck-openapi-")), "openapi.json");
  writeFileSync(file, JSON.stringify(openApiDocument(), null, 2));
  const output = execFileSync(redocly, ["lint", file, "--extends", "recommended", "--format", "json"], {
    encoding: "utf8",
    env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
  });
  const report = JSON.parse(output) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; message: string; location: { pointer: string }[] }[] };
  const problems = report.problems.map((p) => `${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`);
  expect(problems).toEqual([]);
  expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
}, 60_000);
