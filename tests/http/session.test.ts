/**
 * The UI's way in: next-auth's credentials sign-in over HTTP, then the session cookie on the
 * REST and tRPC faces, with cross-site changes refused and repeated failures locked out.
 */
import { inject } from "vitest";
import { describe, expect, it } from "vitest";
import { api, baseUrl } from "../helpers/http";
import { signIn, trpc } from "../helpers/identity-http";

describe("session sign-in", () => {
  it("signs in with e-mail and password and uses the cookie instead of a token", async () => {
    const session = await signIn(inject("adminEmail"), inject("adminPassword"));
    expect(session.status).toBe(200);
    expect(session.cookie).toBeTruthy();
    const cookie = session.cookie!;

    const releases = await api("GET", "/helm/releases", { token: null, headers: { Cookie: cookie } });
    expect(releases.status).toBe(200);
    expect(releases.body.length).toBeGreaterThan(0);
    const me = await trpc("query", "auth.me", undefined, { token: null, headers: { Cookie: cookie } });
    expect(me).toMatchObject({ status: 200, data: { kind: "user", name: inject("adminEmail"), role: "platform-admin", tenantId: null } });

    // A change with the cookie from another site is refused (and changes nothing); from this site it goes through.
    const tenant = { slug: "session-made", name: "Made in a session", environment: "development" };
    const foreign = await api("POST", "/tenants", { token: null, body: tenant, headers: { Cookie: cookie, Origin: "https://evil.example" } });
    expect(foreign.status).toBe(403);
    const crossSite = await trpc("mutation", "tenants.create", tenant, { token: null, headers: { Cookie: cookie, "Sec-Fetch-Site": "cross-site" } });
    expect(crossSite.status).toBe(403);
    expect((await api("GET", "/tenants")).body.some((t: { slug: string }) => t.slug === tenant.slug)).toBe(false);
    const own = await api("POST", "/tenants", { token: null, body: tenant, headers: { Cookie: cookie, Origin: baseUrl(), "Sec-Fetch-Site": "same-origin" } });
    expect(own.status).toBe(201);
    // A bearer token is exempt: no browser attaches one on another site's behalf.
    expect((await api("POST", "/tenants", { body: { ...tenant, slug: "token-made" }, headers: { Origin: "https://evil.example" } })).status).toBe(201);
  });

  it("scopes a demo tenant-admin's session to its tenant", async () => {
    const session = await signIn("acme-dev-admin@demo.helmdeck.local", "demo-password");
    expect(session.cookie).toBeTruthy();
    const releases = await api("GET", "/helm/releases", { token: null, headers: { Cookie: session.cookie! } });
    expect(releases.status).toBe(200);
    expect(new Set(releases.body.map((r: { tenantSlug: string }) => r.tenantSlug))).toEqual(new Set(["acme-dev"]));
    expect((await api("GET", "/tokens", { token: null, headers: { Cookie: session.cookie! } })).status).toBe(403);
  });

  it("refuses a wrong password without a session, and locks the address out after repeated failures", async () => {
    const email = "wonka-viewer@demo.helmdeck.local";
    const wrong = await signIn(email, "not-the-password");
    expect(wrong).toMatchObject({ status: 401, cookie: null, error: "CredentialsSignin" });
    for (let i = 0; i < 4; i++) expect((await signIn(email, `wrong-${i}`)).status).toBe(401);
    const locked = await signIn(email, "demo-password");
    expect(locked).toMatchObject({ status: 429, cookie: null, error: "TooManyAttempts" });
    const events = (await api("GET", "/audit?action=auth.sign-in.failure&limit=10")).body as { actor: string; summary: { reason: string } }[];
    expect(events.find((e) => e.actor === email)?.summary.reason).toBe("too-many-failures");
  });

  it("answers 401 without credentials and sends security headers everywhere", async () => {
    const res = await fetch(`${baseUrl()}/api/v1/helm/releases`);
    expect(res.status).toBe(401);
    for (const url of [`${baseUrl()}/api/v1/helm/releases`, `${baseUrl()}/`]) {
      const headers = (await fetch(url)).headers;
      expect(headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
      expect(headers.get("x-content-type-options")).toBe("nosniff");
      expect(headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    }
  });
});
