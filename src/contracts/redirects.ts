/**
 * Where sign-in may send someone back to: a path on this origin. The callbackUrl is parsed
 * the way a browser parses it (so `/\evil.test`, `//evil.test`, a tab inside `/\t/evil.test`
 * and absolute URLs resolve to their real origin) and anything off this origin becomes "/".
 * Shared by the sign-in form and next-auth's redirect callback.
 */
export function sameOriginPath(raw: string | null | undefined, origin: string): string {
  if (!raw) return "/";
  let url: URL;
  try {
    url = new URL(raw, origin);
  } catch {
    return "/";
  }
  if (url.origin !== origin) return "/";
  // A path starting "//" would itself be read as another host when used as a URL.
  return `${url.pathname.replace(/^\/+/, "/")}${url.search}${url.hash}`;
}

/**
 * A redirect that repeats the URL it was asked for (Next's trailing-slash and repeated-slash
 * redirects write it into Location and again into Refresh) must stay readable: Node's HTTP
 * clients, fetch included, refuse response headers past 16 KiB. Past this length the answer is
 * 414 instead of an echo, and the headers stay under 10 KiB.
 */
export const MAX_REDIRECT_URL_LENGTH = 4 * 1024;

export const URI_TOO_LONG_HEADERS = { "Content-Type": "application/problem+json", "Cache-Control": "no-store" } as const;

/** The 414 problem+json body, with what the client should ask for instead. */
export function uriTooLongProblem(askInstead: string): string {
  return JSON.stringify({
    type: "urn:helmdeck:problem:uri-too-long",
    title: "URI too long",
    status: 414,
    detail: `the URL is longer than ${MAX_REDIRECT_URL_LENGTH} characters; ${askInstead}`,
  });
}

export const uriTooLongResponse = (askInstead: string) => new Response(uriTooLongProblem(askInstead), { status: 414, headers: URI_TOO_LONG_HEADERS });
