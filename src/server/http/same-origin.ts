import { env } from "@/env";
import { DomainError } from "@/server/domain/errors";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function allowedOrigins(req: Request): Set<string> {
  const origins = new Set([new URL(req.url).origin]);
  // The Host a browser used (behind a proxy req.url may name the internal address) and the public URL.
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  const proto = req.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? new URL(req.url).protocol.replace(":", "");
  if (host) origins.add(`${proto}://${host}`);
  const publicUrl = env().NEXTAUTH_URL;
  if (publicUrl) origins.add(new URL(publicUrl).origin);
  return origins;
}

/**
 * Cookies ride along on requests that other sites make a browser send, so a mutation
 * authenticated by the session cookie must come from this site. Browsers say where a
 * request comes from (Sec-Fetch-Site, Origin); a request with neither is not a browser's
 * cross-site request. Bearer-token calls never reach this: a site cannot make a browser
 * attach an Authorization header.
 */
export function assertSameOriginForCookie(req: Request): void {
  if (SAFE_METHODS.has(req.method.toUpperCase())) return;
  const site = req.headers.get("sec-fetch-site");
  const origin = req.headers.get("origin");
  const crossSite = site === "cross-site" || site === "same-site";
  if (crossSite || (origin !== null && !allowedOrigins(req).has(origin))) {
    throw new DomainError("FORBIDDEN", `cross-site request refused: a change made with the session cookie must come from this site (Origin ${origin ?? "absent"}, Sec-Fetch-Site ${site ?? "absent"})`);
  }
}
