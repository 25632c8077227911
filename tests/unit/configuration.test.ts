import { describe, expect, it } from "vitest";
import { parseEnv } from "@/env";

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

  it("refuses a HELMDECK_ variable it does not know, so that a typo is not silently ignored", () => {
    expect(problems({ HELMDECK_SHUTDOWN_SECOND: "10" })).toContain("HELMDECK_SHUTDOWN_SECOND: not a Helmdeck setting");
    expect(problems({ SOMETHING_ELSE: "x" })).toBeNull();
  });

  it("reports every problem at once", () => {
    const message = problems({ HELMDECK_LOG_LEVEL: "loud", PORT: "x" })!;
    expect(message).toContain("HELMDECK_LOG_LEVEL");
    expect(message).toContain("PORT");
  });
});
