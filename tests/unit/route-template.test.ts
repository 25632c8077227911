import { describe, expect, it } from "vitest";
import { routeTemplate } from "@/server/http/route-template";

const id = "3f0b6c1e-8a52-4d39-9f0e-6c1d2b7a4e11";

describe("route templates for metrics and logs", () => {
  it("replaces each parameter's segment by its name", () => {
    expect(routeTemplate(`/api/v1/helm/releases/${id}/upgrade`, { releaseId: id })).toBe("/api/v1/helm/releases/:releaseId/upgrade");
    expect(routeTemplate(`/api/v1/helm/releases/${id}/revisions/3`, { releaseId: id, revision: "3" })).toBe("/api/v1/helm/releases/:releaseId/revisions/:revision");
    expect(routeTemplate("/api/v1/helm/releases", {})).toBe("/api/v1/helm/releases");
  });

  it("matches parameters in path order, so a value equal to a later literal stays a parameter", () => {
    expect(routeTemplate("/api/v1/helm/charts/versions/versions", { chartName: "versions" })).toBe("/api/v1/helm/charts/:chartName/versions");
    expect(routeTemplate("/api/v1/helm/releases/chart/x/versions", { chartName: "x" })).toBe("/api/v1/helm/releases/chart/:chartName/versions");
  });

  it("compares decoded segments and never lets a raw value through", () => {
    expect(routeTemplate("/api/v1/helm/charts/a%20b/versions", { chartName: "a b" })).toBe("/api/v1/helm/charts/:chartName/versions");
    expect(routeTemplate("/api/v1/helm/charts/abc/versions", { chartName: "zzz" })).toBe("(unmatched)");
  });

  it("turns a catch-all into *", () => {
    expect(routeTemplate("/api/v1/no/such/path", { rest: ["no", "such", "path"] })).toBe("/api/v1/*");
  });
});
