import { adminToken, api, baseUrl } from "./http";

/** A tRPC call over HTTP as a non-batched client makes it: queries GET, mutations POST. */
export async function trpc<T = any>(
  type: string,
  path: string,
  input: unknown,
  options: { token?: string | null; headers?: Record<string, string> } = {},
): Promise<{ status: number; data: T; error: unknown }> {
  const token = options.token === undefined ? adminToken() : options.token;
  const headers: Record<string, string> = { ...options.headers };
  if (token) headers.Authorization = `Bearer ${token}`;
  const url = `${baseUrl()}/api/trpc/${path}`;
  const res =
    type === "mutation"
      ? await fetch(url, { method: "POST", headers: { ...headers, "Content-Type": "application/json" }, body: JSON.stringify(input ?? null) })
      : await fetch(input === undefined ? url : `${url}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers });
  const body = (await res.json().catch(() => null)) as { result?: { data?: T }; error?: unknown } | null;
  return { status: res.status, data: body?.result?.data as T, error: body?.error };
}

/** A platform-admin-made API token of the given role, bound to a tenant (null: all tenants). */
export async function tokenFor(role: "platform-admin" | "tenant-admin" | "viewer", tenantId: string | null, extra: Record<string, unknown> = {}) {
  const res = await api("POST", "/tokens", { body: { name: `${role}-${tenantId ?? "all"}-${Date.now()}`, role, tenantId, ...extra } });
  if (res.status !== 201) throw new Error(`cannot create token: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; token: string; role: string; tenantId: string | null; name: string; prefix: string };
}

export async function tenantBySlug(slug: string): Promise<{ id: string; slug: string }> {
  const tenants = (await api("GET", "/tenants")).body as { id: string; slug: string }[];
  const tenant = tenants.find((t) => t.slug === slug);
  if (!tenant) throw new Error(`no demo tenant ${slug}`);
  return tenant;
}

/** The session cookies after a password sign-in through next-auth's own endpoints, as the browser does it. */
export async function signIn(email: string, password: string): Promise<{ status: number; cookie: string | null; error: string | null }> {
  const csrf = await fetch(`${baseUrl()}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookie = csrf.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const res = await fetch(`${baseUrl()}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: csrfCookie },
    body: new URLSearchParams({ csrfToken, email, password, json: "true", callbackUrl: `${baseUrl()}/` }),
    redirect: "manual",
  });
  const body = (await res.json().catch(() => null)) as { url?: string } | null;
  const error = body?.url ? new URL(body.url, baseUrl()).searchParams.get("error") : null;
  const session = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .filter((c) => c.startsWith("next-auth.session-token"));
  return { status: res.status, cookie: session.length ? session.join("; ") : null, error };
}
