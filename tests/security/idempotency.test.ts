/**
 * Idempotency-Key against a real server: a replay answers the first answer byte for byte,
 * semantically equal bodies are the same request, and a token's value is never shown twice.
 */
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { api, baseUrl, adminToken } from "../helpers/http";
import { tenantBySlug } from "../helpers/identity-http";

const suffix = randomBytes(3).toString("hex");
const chartName = `idem-${suffix}`;
let releaseId: string;

/** A raw POST, so that the body's exact text (key order, spacing) is what we choose. */
async function post(path: string, text: string, key: string) {
  const res = await fetch(`${baseUrl()}/api/v1${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${adminToken()}`, "Content-Type": "application/json", "Idempotency-Key": key },
    body: text,
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

beforeAll(async () => {
  for (const version of ["1.0.0", "1.1.0", "1.2.0"]) {
    expect((await api("POST", "/helm/charts", { body: { name: chartName, version, appVersion: version, defaultValues: { replicaCount: 1 } } })).status).toBe(201);
  }
  const tenant = await tenantBySlug("initech-staging");
  const installed = await api("POST", "/helm/releases", { body: { tenantId: tenant.id, name: `idem-${suffix}`, namespace: "idem", chartName, chartVersion: "1.0.0" } });
  expect(installed.status).toBe(201);
  releaseId = installed.body.release.id;
});

describe("Idempotency-Key", () => {
  it("replays the first answer byte for byte, also to a body with its keys in another order", async () => {
    const key = `upgrade-${suffix}`;
    const first = await post(`/helm/releases/${releaseId}/upgrade`, '{"valuesOverride":{"zeta":1,"alpha":{"y":2,"x":1}},"chartVersion":"1.1.0"}', key);
    expect(first.status, first.text).toBe(200);
    expect(first.text.indexOf('"zeta"')).toBeLessThan(first.text.indexOf('"alpha"'));
    const again = await post(`/helm/releases/${releaseId}/upgrade`, '{ "chartVersion": "1.1.0", "valuesOverride": { "alpha": { "x": 1, "y": 2 }, "zeta": 1.0 } }', key);
    expect(again.status).toBe(200);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(again.text).toBe(first.text);
    const revisions = (await api("GET", `/helm/releases/${releaseId}/revisions`)).body as unknown[];
    expect(revisions).toHaveLength(2);

    const other = await post(`/helm/releases/${releaseId}/upgrade`, '{"chartVersion":"1.2.0"}', key);
    expect(other.status).toBe(422);
    expect((await api("GET", `/helm/releases/${releaseId}/revisions`)).body).toHaveLength(2);
  });

  it("frees the key of a request that changed nothing, so a corrected retry runs", async () => {
    const key = `corrected-${suffix}`;
    const wrong = await post(`/helm/releases/${releaseId}/upgrade`, '{"chartVersion":"9.9.9"}', key);
    expect(wrong.status).toBe(422);
    const right = await post(`/helm/releases/${releaseId}/upgrade`, '{"chartVersion":"1.2.0"}', key);
    expect(right.status, right.text).toBe(200);
    expect(right.headers.get("idempotent-replayed")).toBeNull();
  });

  it("never returns a token's value again on a replay, even after the token is revoked", async () => {
    const key = `token-${suffix}`;
    const body = JSON.stringify({ name: `idem-token-${suffix}`, role: "viewer", tenantId: null });
    const created = await post("/tokens", body, key);
    expect(created.status).toBe(201);
    const token = JSON.parse(created.text) as { id: string; token: string };
    expect(token.token).toMatch(/^hd_/);

    const replay = await post("/tokens", body, key);
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.text).not.toContain(token.token);
    expect(JSON.parse(replay.text)).toMatchObject({ id: token.id, role: "viewer" });
    expect(JSON.parse(replay.text)).not.toHaveProperty("token");

    expect((await api("DELETE", `/tokens/${token.id}`)).status).toBe(204);
    expect((await post("/tokens", body, key)).text).not.toContain(token.token);
    const tokens = (await api("GET", "/tokens")).body as { name: string }[];
    expect(tokens.filter((t) => t.name === `idem-token-${suffix}`)).toHaveLength(1);
  });
});
