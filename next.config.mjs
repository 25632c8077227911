import { PHASE_DEVELOPMENT_SERVER } from "next/constants.js";

/**
 * Security headers for every response. The CSP allows inline scripts and styles because the
 * App Router inlines its bootstrap and hydration data; nonces would force every page to
 * render dynamically. 'unsafe-eval' and websockets only for `next dev` (React's dev tooling
 * and hot reload). form-action allows https: so a single sign-on redirect can leave.
 */
function securityHeaders(dev) {
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self' https:",
    "frame-ancestors 'none'",
  ].join("; ");
  return [
    { key: "Content-Security-Policy", value: csp },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
    { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
  ];
}

/** @type {(phase: string) => import('next').NextConfig} */
const nextConfig = (phase) => ({
  // PGlite ships WASM and data files that must be loaded from node_modules at run time.
  serverExternalPackages: ["@electric-sql/pglite", "postgres", "pino", "pino-pretty", "prom-client"],
  // The container image (Dockerfile) runs Next's standalone server: only the traced files.
  output: ["1", "true", "yes"].includes(process.env.HELMDECK_STANDALONE ?? "") ? "standalone" : undefined,
  // Read at run time from the working directory, which the standalone server sets to its own folder.
  outputFileTracingIncludes: { "/**": ["./drizzle/**/*"] },
  poweredByHeader: false,
  // src/proxy.ts redirects trailing slashes itself, with a bounded Location and no Refresh echo.
  skipTrailingSlashRedirect: true,
  // Off for the first `npm start` (scripts/start.ts): writing the cache is a quarter of a cold
  // build's CPU and pays off only when the same checkout is built again (tests do; a first run does not).
  experimental: { turbopackFileSystemCacheForBuild: !["0", "false", "no"].includes(process.env.HELMDECK_BUILD_CACHE ?? "") },
  typedRoutes: false,
  // The whole project (app, tests, scripts) is type-checked by `npm run typecheck` in CI;
  // repeating it inside every `next build` would only slow the first `npm start`.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders(phase === PHASE_DEVELOPMENT_SERVER) }];
  },
});

export default nextConfig;
