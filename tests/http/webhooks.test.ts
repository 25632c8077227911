/**
 * Webhooks over REST against the real server: who may manage which, what answers never
 * contain, and events the server's own runner delivers to a loopback receiver, signed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "../helpers/http";
import { tenantBySlug, tokenFor, trpc } from "../helpers/identity-http";
import { signatureValid, startReceiver } from "../helpers/webhook-receiver";

const SECRET = "http-test-secret-0123456789";

/** The deliveries of a webhook once `done` holds for them (the server's runner works in the background). */
async function deliveriesWhen(id: string, token: string | undefined, done: (items: Array<{ status: string; event: string }>) => boolean) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await api("GET", `/webhooks/${id}/deliveries`, { token });
    expect(res.status).toBe(200);
    if (done(res.body)) return res.body as Array<{ id: number; event: string; status: string; attempts: number; responseStatus: number | null; deliveredAt: string | null }>;
    if (Date.now() > deadline) throw new Error(`deliveries never settled: ${JSON.stringify(res.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("webhooks over REST", () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let tenant: { id: string; slug: string };
  let other: { id: string; slug: string };
  const tokens = {} as { tenantAdmin: string; otherAdmin: string; viewer: string };
  const created: string[] = [];

  beforeAll(async () => {
    receiver = await startReceiver();
    tenant = await tenantBySlug("acme-dev");
    other = await tenantBySlug("globex");
    tokens.tenantAdmin = (await tokenFor("tenant-admin", tenant.id)).token;
    tokens.otherAdmin = (await tokenFor("tenant-admin", other.id)).token;
    tokens.viewer = (await tokenFor("viewer", tenant.id)).token;
  });

  afterAll(async () => {
    // Later test files must not feed deliveries to a receiver that is gone.
    for (const id of created) await api("DELETE", `/webhooks/${id}`);
    await receiver?.close();
  });

  it("a platform-admin creates, reads, changes and deletes a webhook; the secret is never answered, and bad input changes nothing", async () => {
    const res = await api("POST", "/webhooks", { body: { url: `${receiver.url}/platform?token=receiver-own-token`, events: ["chart.published", "chart.published"], secret: SECRET } });
    expect(res.status).toBe(201);
    created.push(res.body.id);
    expect(res.headers.get("location")).toBe(`/api/v1/webhooks/${res.body.id}`);
    expect(res.body).toMatchObject({ events: ["chart.published"], tenant: null, enabled: true });
    expect(JSON.stringify(res.body)).not.toContain(SECRET);

    const generated = await api("POST", "/webhooks", { body: { url: `${receiver.url}/generated`, events: ["batch.finished"], enabled: false } });
    expect(generated.status).toBe(201);
    created.push(generated.body.id);
    expect(generated.body.secret).toMatch(/^whsec_/);
    const read = await api("GET", `/webhooks/${generated.body.id}`);
    expect(read.status).toBe(200);
    expect(read.body).not.toHaveProperty("secret");

    const listed = await api("GET", "/webhooks");
    expect(listed.body.map((w: { id: string }) => w.id)).toEqual(expect.arrayContaining([res.body.id, generated.body.id]));
    expect(JSON.stringify(listed.body)).not.toContain(generated.body.secret);

    const patched = await api("PATCH", `/webhooks/${res.body.id}`, { body: { events: ["release.upgraded", "batch.finished"], secret: "a-brand-new-secret-value" } });
    expect(patched.status).toBe(200);
    expect(patched.body.events).toEqual(["release.upgraded", "batch.finished"]);
    expect(JSON.stringify(patched.body)).not.toContain("a-brand-new-secret-value");

    for (const bad of [
      { url: "ftp://example.test/hook", events: ["batch.finished"] },
      { url: "not a url", events: ["batch.finished"] },
      { url: "https://example.test/hook", events: [] },
      { url: "https://example.test/hook", events: ["release.exploded"] },
      { url: "https://example.test/hook", events: ["batch.finished"], secret: "short" },
    ]) {
      const refused = await api("POST", "/webhooks", { body: bad });
      expect(refused.status, JSON.stringify(bad)).toBe(422);
      expect(refused.headers.get("content-type")).toContain("application/problem+json");
    }
    expect((await api("PATCH", `/webhooks/${res.body.id}`, { body: {} })).status).toBe(422);
    expect((await api("GET", "/webhooks")).body).toHaveLength(listed.body.length);

    const audit = await api("GET", "/audit?action=webhook.create");
    const summaries = JSON.stringify(audit.body);
    expect(summaries).toContain(receiver.url);
    expect(summaries).not.toContain("receiver-own-token");
    expect(summaries).not.toContain(SECRET);
    expect(summaries).not.toContain(generated.body.secret);
    expect(JSON.stringify((await api("GET", "/audit?action=webhook.update")).body)).not.toContain("a-brand-new-secret-value");

    expect((await api("DELETE", `/webhooks/${generated.body.id}`)).status).toBe(204);
    expect((await api("GET", `/webhooks/${generated.body.id}`)).status).toBe(404);
    expect((await api("DELETE", `/webhooks/${generated.body.id}`)).status).toBe(404);
  });

  it("a tenant-admin manages its own tenant's webhooks only; a viewer none", async () => {
    const own = await api("POST", "/webhooks", { token: tokens.tenantAdmin, body: { url: `${receiver.url}/acme`, events: ["release.upgraded"], secret: SECRET } });
    expect(own.status).toBe(201);
    created.push(own.body.id);
    expect(own.body.tenant).toBe(tenant.slug);
    expect((await api("POST", "/webhooks", { token: tokens.tenantAdmin, body: { url: receiver.url, events: ["release.upgraded"], tenant: other.slug } })).status).toBe(403);
    expect((await api("POST", "/webhooks", { token: tokens.viewer, body: { url: receiver.url, events: ["release.upgraded"] } })).status).toBe(403);
    expect((await api("GET", "/webhooks", { token: tokens.viewer })).status).toBe(403);

    const platform = await api("POST", "/webhooks", { body: { url: `${receiver.url}/globex`, events: ["release.upgraded"], tenant: other.slug, secret: SECRET } });
    expect(platform.status).toBe(201);
    created.push(platform.body.id);
    expect(platform.body.tenant).toBe(other.slug);

    const visible = (await api("GET", "/webhooks", { token: tokens.tenantAdmin })).body as Array<{ id: string; tenant: string }>;
    expect(visible.map((w) => w.id)).toContain(own.body.id);
    expect(visible.every((w) => w.tenant === tenant.slug)).toBe(true);
    for (const [method, path] of [
      ["GET", ""],
      ["PATCH", ""],
      ["DELETE", ""],
      ["GET", "/deliveries"],
      ["POST", "/test"],
    ] as const) {
      const res = await api(method, `/webhooks/${platform.body.id}${path}`, { token: tokens.tenantAdmin, body: method === "PATCH" ? { enabled: false } : undefined });
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    expect((await api("GET", `/webhooks/${platform.body.id}`)).body.enabled).toBe(true);
    const trpcList = await trpc("query", "webhooks.list", undefined, { token: tokens.otherAdmin });
    expect(trpcList.status).toBe(200);
    // (Other test files may have given this tenant webhooks too: the one made for it here is among them, and nothing else.)
    expect(trpcList.data.map((w: { id: string }) => w.id)).toContain(platform.body.id);
    expect(trpcList.data.every((w: { tenant: string }) => w.tenant === other.slug)).toBe(true);
  });

  it("the server delivers a signed test event and a tenant's release.upgraded, pages the history, and sends nothing to other tenants", async () => {
    const mine = await api("POST", "/webhooks", { token: tokens.tenantAdmin, body: { url: `${receiver.url}/mine`, events: ["release.upgraded"], secret: SECRET } });
    const theirs = await api("POST", "/webhooks", { token: tokens.otherAdmin, body: { url: `${receiver.url}/theirs`, events: ["release.upgraded"], secret: SECRET } });
    created.push(mine.body.id, theirs.body.id);

    const test = await api("POST", `/webhooks/${mine.body.id}/test`, { token: tokens.tenantAdmin });
    expect(test.status).toBe(202);
    expect(test.body).toMatchObject({ event: "webhook.test", status: "PENDING" });

    const installed = await api("POST", "/helm/releases", {
      token: tokens.tenantAdmin,
      body: { tenantId: tenant.id, name: "hooks-http", namespace: "hooks", chartName: "matih-gateway", chartVersion: "2.0.0" },
    });
    expect(installed.status).toBe(201);
    const upgraded = await api("POST", `/helm/releases/${installed.body.release.id}/upgrade`, { token: tokens.tenantAdmin, body: { chartVersion: "2.1.0", acknowledgeBreakingChanges: true } });
    expect(upgraded.status).toBe(200);

    const history = await deliveriesWhen(mine.body.id, tokens.tenantAdmin, (items) => items.length === 2 && items.every((d) => d.status === "DELIVERED"));
    expect(history.map((d) => d.event)).toEqual(["release.upgraded", "webhook.test"]);
    expect(history[0]).toMatchObject({ status: "DELIVERED", attempts: 1, responseStatus: 200 });

    const got = receiver.received.filter((r) => [String(history[0]!.id), String(history[1]!.id)].includes(String(r.headers["x-helmdeck-delivery"])));
    expect(got).toHaveLength(2);
    for (const r of got) expect(signatureValid(SECRET, r.raw, r.headers["x-helmdeck-signature"])).toBe(true);
    const event = got.find((r) => r.body.type === "release.upgraded")!;
    expect(event.body.data).toMatchObject({ releaseId: installed.body.release.id, tenantSlug: tenant.slug, fromVersion: "2.0.0", toVersion: "2.1.0" });
    expect(JSON.stringify(event.body)).not.toContain("values");

    expect((await api("GET", `/webhooks/${theirs.body.id}/deliveries`, { token: tokens.otherAdmin })).body).toEqual([]);

    const first = await api("GET", `/webhooks/${mine.body.id}/deliveries?limit=1`, { token: tokens.tenantAdmin });
    expect(first.body).toHaveLength(1);
    const next = first.headers.get("link")!.match(/<([^>]+)>/)![1]!;
    const second = await api("GET", next.slice(next.indexOf("/webhooks")), { token: tokens.tenantAdmin });
    expect(second.body.map((d: { event: string }) => d.event)).toEqual(["webhook.test"]);
    expect(second.headers.get("link")).toBeNull();
    expect((await api("GET", `/webhooks/${mine.body.id}/deliveries?cursor=forged`, { token: tokens.tenantAdmin })).status).toBe(400);
  });
});
