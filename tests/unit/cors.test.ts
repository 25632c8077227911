import { afterEach, describe, expect, it } from "vitest";
import { env, resetEnvCache } from "@/env";
import { optionsResponse, withCors } from "@/server/http/cors";

const configure = (origins: string | undefined) => {
  if (origins === undefined) delete process.env.HELMDECK_CORS_ORIGINS;
  else process.env.HELMDECK_CORS_ORIGINS = origins;
  resetEnvCache();
};
const request = (origin?: string, preflight = false) =>
  new Request("http://helmdeck.test/api/v1/tenants", {
    method: preflight ? "OPTIONS" : "GET",
    headers: { ...(origin ? { Origin: origin } : {}), ...(preflight ? { "Access-Control-Request-Method": "POST" } : {}) },
  });
const answered = (req: Request) => withCors(req, new Response("[]"));

afterEach(() => configure(undefined));

describe("HELMDECK_CORS_ORIGINS", () => {
  it("defaults to no cross-origin access at all", () => {
    configure(undefined);
    expect(answered(request("https://app.example.com")).headers.get("access-control-allow-origin")).toBeNull();
    expect(optionsResponse(request("https://app.example.com", true), ["GET", "OPTIONS"]).headers.get("access-control-allow-origin")).toBeNull();
  });

  it("a wildcard answers `*` and never allows credentials", () => {
    configure("*");
    const res = answered(request("https://any.example.com"));
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    const preflight = optionsResponse(request("https://any.example.com", true), ["GET", "POST", "OPTIONS"]);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("names the listed origin back, and nothing to others or to same-origin requests", () => {
    configure("https://a.example.com, http://localhost:5173");
    expect(answered(request("http://localhost:5173")).headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
    expect(answered(request("https://b.example.com")).headers.get("access-control-allow-origin")).toBeNull();
    expect(answered(request()).headers.get("access-control-allow-origin")).toBeNull();
    expect(answered(request("https://b.example.com")).headers.get("vary")).toBe("Origin");
  });

  it("refuses at start a value that is not an origin", () => {
    for (const bad of ["https://a.example.com/", "ftp://a.example.com", "a.example.com"]) {
      configure(bad);
      expect(() => env(), bad).toThrow(/HELMDECK_CORS_ORIGINS/);
    }
  });
});
