/**
 * The UI's sessions against a real server: sign-out ends a session on the server, the
 * lockout cannot be raced, redirects stay on this origin, and a hostile e-mail is a plain
 * failed sign-in.
 */
import { describe, expect, it } from "vitest";
import { api, baseUrl } from "../helpers/http";
import { signIn } from "../helpers/identity-http";

const cookiesOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .join("; ");

/** next-auth's own sign-out, as the UI's button makes it. */
async function signOut(sessionCookie: string): Promise<number> {
  const csrf = await fetch(`${baseUrl()}/api/auth/csrf`, { headers: { Cookie: sessionCookie } });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${baseUrl()}/api/auth/signout`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: `${sessionCookie}; ${cookiesOf(csrf)}` },
    body: new URLSearchParams({ csrfToken, json: "true", callbackUrl: `${baseUrl()}/sign-in` }),
    redirect: "manual",
  });
  return res.status;
}

/** The URL a credentials sign-in sends the browser to, for a given callbackUrl. */
async function signInRedirect(email: string, password: string, callbackUrl: string): Promise<string> {
  const csrf = await fetch(`${baseUrl()}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${baseUrl()}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookiesOf(csrf) },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl }),
    redirect: "manual",
  });
  return res.headers.get("location") ?? "";
}

describe("sessions", () => {
  it("stop working on the server when signed out; the user's other sessions go on", async () => {
    const email = "hooli-admin@demo.helmdeck.local";
    const laptop = (await signIn(email, "demo-password")).cookie!;
    const phone = (await signIn(email, "demo-password")).cookie!;
    const asCookie = (cookie: string) => api("GET", "/helm/releases", { token: null, headers: { Cookie: cookie } });
    expect((await asCookie(laptop)).status).toBe(200);

    expect(await signOut(laptop)).toBeLessThan(400);
    // The browser forgot the cookie; someone who copied it gets nothing from it.
    expect((await asCookie(laptop)).status).toBe(401);
    const session = await (await fetch(`${baseUrl()}/api/auth/session`, { headers: { Cookie: laptop } })).json();
    expect(session).toEqual({});
    expect((await asCookie(phone)).status).toBe(200);
    const events = (await api("GET", "/audit?action=auth.sign-out&limit=20")).body as { actor: string }[];
    expect(events.some((e) => e.actor === email)).toBe(true);
  });
});

describe("the sign-in lockout", () => {
  it("checks no more passwords than the limit when 30 wrong sign-ins race", async () => {
    const email = "stark-viewer@demo.helmdeck.local";
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => signIn(email, `wrong-${i}`)));
    expect(results.filter((r) => r.status === 401)).toHaveLength(5);
    expect(results.filter((r) => r.status === 429)).toHaveLength(25);
    const failures = (await api("GET", "/audit?action=auth.sign-in.failure&limit=200")).body as { actor: string; summary: { reason: string } }[];
    const checked = failures.filter((e) => e.actor === email && e.summary.reason === "wrong-password");
    expect(checked).toHaveLength(5);
  });
});

describe("hostile sign-ins", () => {
  it("answer a NUL or a lone surrogate in the e-mail as a plain failed sign-in, without SQL", async () => {
    for (const email of ["wayne-viewer@demo.helmdeck.local\u0000", "\ud800@x.test"]) {
      const res = await signIn(email, "demo-password");
      expect(res).toMatchObject({ status: 401, cookie: null, error: "CredentialsSignin" });
    }
  });

  it("redirect after sign-in only to this origin", async () => {
    const origin = new URL(baseUrl()).origin;
    const hostile = ["/\\evil.test/phish", "//evil.test", "https://evil.test", "https://evil.test/%2F..", "/%5Cevil.test", "\\\\evil.test", `${origin}.evil.test/`, `${origin}@evil.test/`];
    for (const callbackUrl of hostile) {
      const location = await signInRedirect("wayne-admin@demo.helmdeck.local", "demo-password", callbackUrl);
      expect(location, callbackUrl).not.toBe("");
      expect(new URL(location).origin, `${callbackUrl} → ${location}`).toBe(origin);
      expect(new URL(location).pathname.startsWith("//"), location).toBe(false);
    }
    expect(await signInRedirect("wayne-admin@demo.helmdeck.local", "demo-password", "/releases?tenant=wayne")).toBe(`${origin}/releases?tenant=wayne`);
  });
});

describe("next-auth's routes", () => {
  it("answer every action and method without a 5xx; a credentials callback that is not a POST is 405 problem+json", async () => {
    const actions = ["signin", "signin/credentials", "signout", "callback", "callback/credentials", "callback/nope", "session", "csrf", "providers", "error", "verify-request", "_log", "nope"];
    const answers: string[] = [];
    for (const method of ["GET", "POST", "PUT", "DELETE", "PATCH"]) {
      for (const action of actions) {
        const res = await fetch(`${baseUrl()}/api/auth/${action}`, { method, headers: { "Content-Type": "application/x-www-form-urlencoded" }, redirect: "manual" });
        await res.arrayBuffer();
        if (res.status >= 500) answers.push(`${method} ${action} → ${res.status}`);
      }
    }
    expect(answers).toEqual([]);
    const get = await fetch(`${baseUrl()}/api/auth/callback/credentials`, { redirect: "manual" });
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    expect(get.headers.get("content-type")).toContain("application/problem+json");
    // It would repeat the error in Location: past 4 KiB, more than a client may read back.
    const long = await fetch(`${baseUrl()}/api/auth/error?error=${"a".repeat(15_000)}`, { redirect: "manual" });
    expect(long.status).toBe(414);
    expect(long.headers.get("content-type")).toContain("application/problem+json");
  });
});
