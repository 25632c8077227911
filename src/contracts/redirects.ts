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

/** The detail of the 414 (URI_TOO_LONG) answered instead, with what the client should ask for. */
export const uriTooLongDetail = (askInstead: string) => `the URL is longer than ${MAX_REDIRECT_URL_LENGTH} characters; ${askInstead}`;
