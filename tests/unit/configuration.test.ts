import { describe, expect, it } from "vitest";
import { parseEnv, unknownVariablesWarning } from "@/env";

const problems = (vars: Record<string, string>) => {
  const parsed = parseEnv(vars);
  return parsed.ok ? null : parsed.message;
};

describe("configuration", () => {
  it("applies the defaults of the operating settings", () => {
    const parsed = parseEnv({});
    expect(parsed.ok && parsed.env).toMatchObject({ HELMDECK_LOG_LEVEL: "info", HELMDECK_LOG_FORMAT: "auto", HELMDECK_SHUTDOWN_SECONDS: 30 });
    expect(parsed.ok && parsed.env.HELMDECK_METRICS_TOKEN).toBeUndefined();
  });

  it.each([
    ["HELMDECK_LOG_LEVEL", "loud"],
    ["HELMDECK_LOG_FORMAT", "xml"],
    ["HELMDECK_SHUTDOWN_SECONDS", "-1"],
    ["HELMDECK_SHUTDOWN_SECONDS", "soon"],
    ["HELMDECK_METRICS_TOKEN", "short"],
    ["PORT", "70000"],
    ["HELMDECK_DRIVER", "kubectl"],
    ["DATABASE_URL", "not a url"],
  ])("refuses %s=%s, naming the variable", (name, value) => {
    expect(problems({ [name]: value })).toMatch(new RegExp(`^Invalid configuration:\\n  ${name}: `));
  });

  it("names HELMDECK_ variables it does not read (a typo), without refusing them: clients read HELMDECK_TOKEN", () => {
    const parsed = parseEnv({ HELMDECK_SHUTDOWN_SECOND: "10", HELMDECK_TOKEN: "hd_x", SOMETHING_ELSE: "x" });
    expect(parsed.ok && parsed.unknown).toEqual(["HELMDECK_SHUTDOWN_SECOND", "HELMDECK_TOKEN"]);
    expect(unknownVariablesWarning(["HELMDECK_SHUTDOWN_SECOND"])).toContain("HELMDECK_SHUTDOWN_SECOND");
    expect(unknownVariablesWarning([])).toBeNull();
  });

  it("reports every problem at once", () => {
    const message = problems({ HELMDECK_LOG_LEVEL: "loud", PORT: "x" })!;
    expect(message).toContain("HELMDECK_LOG_LEVEL");
    expect(message).toContain("PORT");
  });
});
