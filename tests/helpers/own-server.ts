/** The JSON lines of a server's output (anything else it printed, e.g. Next's banner, is left out). */
export function jsonLogLines(output: string): Array<Record<string, any>> {
  return output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, any>];
      } catch {
        return [];
      }
    });
}

/** A small JSON client for one test server. */
export function serverApi(baseUrl: string, token: string) {
  return async function call<T = any>(method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; token?: string | null } = {}) {
    const headers: Record<string, string> = { ...options.headers };
    const bearer = options.token === undefined ? token : options.token;
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    const res = await fetch(`${baseUrl}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON
    }
    return { status: res.status, headers: res.headers, body: body as T, text };
  };
}

/** A password sign-in through next-auth's endpoints, as the browser does it; answers the error code next-auth put in its URL. */
export async function signInAt(baseUrl: string, email: string, password: string): Promise<{ status: number; error: string | null; url: string | null }> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const cookie = csrf.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie },
    body: new URLSearchParams({ csrfToken, email, password, json: "true", callbackUrl: `${baseUrl}/` }),
    redirect: "manual",
  });
  const body = (await res.json().catch(() => null)) as { url?: string } | null;
  const url = body?.url ?? res.headers.get("location");
  return { status: res.status, error: url ? new URL(url, baseUrl).searchParams.get("error") : null, url };
}
