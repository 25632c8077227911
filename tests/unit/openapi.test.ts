import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "@/server/http/openapi";

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? routeFiles(full) : name === "route.ts" ? [full] : [];
  });
}

describe("OpenAPI document", () => {
  it("is OpenAPI 3.1 and describes every REST route the app serves", () => {
    const doc = openApiDocument();
    expect(doc.openapi).toBe("3.1.0");
    const root = path.resolve("src/app/api/v1");
    const served = routeFiles(root)
      .map((f) => "/" + path.relative(root, path.dirname(f)).split(path.sep).join("/"))
      .filter((p) => p !== "/[...rest]" && p !== "/openapi.json")
      .map((p) => p.replace(/\[(\w+)\]/g, "{$1}"));
    const documented = Object.keys(doc.paths);
    for (const p of served) expect(documented, `${p} is served but not documented in src/server/http/openapi.ts`).toContain(p);
  });
});
