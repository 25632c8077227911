/**
 * Work an attacker can make the server do: a backtracking pattern in a chart's schema, and
 * YAML built to explode. Each is answered at once and the server keeps serving meanwhile.
 */
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { adminToken, api, baseUrl } from "../helpers/http";
import { tenantBySlug, tokenFor } from "../helpers/identity-http";
import { chartYaml, tarGz } from "../helpers/tar-builder";

const suffix = randomBytes(3).toString("hex");

describe("a backtracking pattern in values.schema.json", () => {
  const chartName = `redos-${suffix}`;
  let releaseId: string;
  let viewer: string;

  beforeAll(async () => {
    const schema = { type: "object", properties: { name: { type: "string", pattern: "^(a+)+$" } } };
    for (const version of ["1.0.0", "1.1.0"]) {
      const res = await api("POST", "/helm/charts", { body: { name: chartName, version, appVersion: version, defaultValues: { name: "aaa" }, valuesSchema: schema } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    }
    const tenant = await tenantBySlug("globex-dev");
    const installed = await api("POST", "/helm/releases", { body: { tenantId: tenant.id, name: `redos-${suffix}`, namespace: "redos", chartName, chartVersion: "1.0.0" } });
    expect(installed.status, JSON.stringify(installed.body)).toBe(201);
    releaseId = installed.body.release.id;
    viewer = (await tokenFor("viewer", tenant.id)).token;
  });

  it("is planned at once for a viewer, and /api/livez answers while such plans are in flight", async () => {
    const attack = { chartVersion: "1.1.0", valuesOverride: { name: `${"a".repeat(5000)}!` } };
    let settled = 0;
    const plans = Array.from({ length: 6 }, () =>
      api("POST", `/helm/releases/${releaseId}/upgrade-plan`, { token: viewer, body: attack }).finally(() => settled++),
    );
    // On a backtracking engine the first plan would never end and these would queue behind it.
    const livez: number[] = [];
    do livez.push((await fetch(`${baseUrl()}/api/livez`)).status);
    while (settled < plans.length);
    expect(livez.every((s) => s === 200)).toBe(true);
    for (const plan of await Promise.all(plans)) {
      expect(plan.status, JSON.stringify(plan.body)).toBe(200);
      const check = plan.body.checks.find((c: { id: string }) => c.id === "values-compatible");
      expect(check).toMatchObject({ status: "fail" });
      expect(JSON.stringify(check)).toContain("must match pattern");
    }
  });

  it("refuses the upgrade with 422 and no revision", async () => {
    const res = await api("POST", `/helm/releases/${releaseId}/upgrade`, { body: { chartVersion: "1.1.0", valuesOverride: { name: `${"a".repeat(40)}!` } } });
    expect(res.status).toBe(422);
    expect((await api("GET", `/helm/releases/${releaseId}/revisions`)).body).toHaveLength(1);
  });
});

describe("YAML in chart archives", () => {
  const upload = (archive: Buffer) => api("POST", "/helm/charts", { rawBody: new Uint8Array(archive), headers: { "Content-Type": "application/gzip" } });
  const versionsOf = async (name: string) => (await api("GET", `/helm/charts/${name}/versions`)).body as unknown[];

  it("reads 20k keys of values.yaml without stalling other requests", async () => {
    const name = `keys-${suffix}`;
    const values = Array.from({ length: 20_000 }, (_, i) => `k${i}: ${i}`).join("\n");
    let done = false;
    const publishing = upload(tarGz([{ path: `${name}/Chart.yaml`, body: chartYaml(name, "1.0.0") }, { path: `${name}/values.yaml`, body: values }])).finally(() => (done = true));
    const livez: number[] = [];
    do livez.push((await fetch(`${baseUrl()}/api/livez`)).status);
    while (!done);
    const res = await publishing;
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(livez.every((s) => s === 200)).toBe(true);
  });

  it("refuses aliases expanding past 10 MiB with 413 and stores nothing", async () => {
    const name = `aliases-${suffix}`;
    const list = `[${Array.from({ length: 150_000 }, (_, i) => i % 10).join(",")}]`;
    const values = [`base: &big ${list}`, ...Array.from({ length: 99 }, (_, i) => `copy${i}: *big`)].join("\n");
    const res = await upload(tarGz([{ path: `${name}/Chart.yaml`, body: chartYaml(name, "1.0.0") }, { path: `${name}/values.yaml`, body: values }]));
    expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(413);
    expect(await versionsOf(name)).toEqual([]);
  });

  it("refuses a values.yaml over 1 MiB with 413 and a duplicate key with 422", async () => {
    const name = `big-${suffix}`;
    const big = await upload(tarGz([{ path: `${name}/Chart.yaml`, body: chartYaml(name, "1.0.0") }, { path: `${name}/values.yaml`, body: `a: "${"x".repeat(1_100_000)}"` }]));
    expect(big.status).toBe(413);
    const dup = await upload(tarGz([{ path: `${name}/Chart.yaml`, body: chartYaml(name, "1.0.0", "name: again\n") }]));
    expect(dup.status).toBe(422);
    expect(await versionsOf(name)).toEqual([]);
  });
});

describe("a tRPC batch", () => {
  const batch = (calls: number) => fetch(`${baseUrl()}/api/trpc/${Array.from({ length: calls }, () => "auth.me").join(",")}?batch=1`, { headers: { Authorization: `Bearer ${adminToken()}` } });

  it("carries at most 16 calls: a URL naming more is refused with 400 before any of them runs", async () => {
    const allowed = await batch(16);
    expect(allowed.status).toBe(200);
    expect(((await allowed.json()) as unknown[]).length).toBe(16);
    const refused = await batch(500);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toMatch(/batch call exceeds/i);
  });
});
