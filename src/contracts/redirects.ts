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
