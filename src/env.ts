import { z } from "zod";

const flag = (fallback: boolean) =>
  z
    .enum(["0", "1", "true", "false", "yes", "no", ""])
    .optional()
    .transform((v) => (v === undefined || v === "" ? fallback : ["1", "true", "yes"].includes(v)));

/** Comma-separated origins (`https://app.example.com`) or `*`; empty: no cross-origin access. */
const corsOrigins = z
  .string()
  .default("")
  .transform((v) => v.split(",").map((o) => o.trim()).filter(Boolean))
  .pipe(
    z.array(
      z.union([
        z.literal("*"),
        z.url({ protocol: /^https?$/ }).refine((o) => URL.canParse(o) && new URL(o).origin === o, { message: "must be an origin: scheme://host[:port], no path or trailing slash" }),
      ]),
    ),
  );

/** A 32-byte key written as hex or base64; null when it is neither. */
export function decodeKey(text: string): Buffer | null {
  const bytes = /^[0-9a-fA-F]{64}$/.test(text) ? Buffer.from(text, "hex") : Buffer.from(text, "base64");
  return bytes.length === 32 ? bytes : null;
}

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  DATABASE_URL: z.string().url().optional().or(z.literal("").transform(() => undefined)),
  HELMDECK_DATA_DIR: z.string().min(1).default("./.data"),
  HELMDECK_OPERATION_LEASE_SECONDS: z.coerce.number().int().min(1).default(600),
  HELMDECK_BATCH_LEASE_SECONDS: z.coerce.number().int().min(2).default(30),
  HELMDECK_DRIVER: z.enum(["simulated", "helm"]).default("simulated"),
  HELMDECK_SIMULATED_LATENCY_MS: z.coerce.number().int().min(0).max(600_000).default(0),
  HELMDECK_HELM_BIN: z.string().min(1).default("helm"),
  HELMDECK_HELM_TIMEOUT: z.string().regex(/^\d+[smh]$/).default("5m"),
  HELMDECK_HELM_REPO: z.string().optional(),
  HELMDECK_BOOTSTRAP_TOKEN: z.string().min(16, "HELMDECK_BOOTSTRAP_TOKEN must be at least 16 characters").optional(),
  HELMDECK_ADMIN_EMAIL: z.string().email().optional(),
  HELMDECK_ADMIN_PASSWORD: z.string().min(8).optional(),
  HELMDECK_DEMO: flag(true),
  HELMDECK_BATCH_RUNNER: flag(true),
  NEXTAUTH_URL: z.string().url().optional(),
  // Unset: a random secret is made once and kept in the settings table (see docs/identity.md).
  NEXTAUTH_SECRET: z.string().min(16, "NEXTAUTH_SECRET must be at least 16 characters").optional().or(z.literal("").transform(() => undefined)),
  // Single sign-on: all three switch the OIDC provider on.
  HELMDECK_OIDC_ISSUER: z.string().url().optional().or(z.literal("").transform(() => undefined)),
  HELMDECK_OIDC_CLIENT_ID: z.string().min(1).optional(),
  HELMDECK_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  HELMDECK_OIDC_NAME: z.string().min(1).default("Single sign-on"),
  // Browser apps on other origins allowed to call /api/v1 and /api/trpc with a bearer token.
  HELMDECK_CORS_ORIGINS: corsOrigins,
  // 32 bytes, base64 or hex: the key that encrypts stored secrets (webhook and repository
  // credentials). Unset: one is generated and kept in the database (see docs/security.md).
  HELMDECK_ENCRYPTION_KEY: z
    .string()
    .refine((v) => decodeKey(v) !== null, "HELMDECK_ENCRYPTION_KEY must be 32 bytes as 64 hex digits or base64")
    .optional()
    .or(z.literal("").transform(() => undefined)),
  // Operating (docs/deploy.md).
  HELMDECK_LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  // pretty: human-readable lines; json: one JSON object a line; auto: pretty exactly when stdout is a terminal.
  HELMDECK_LOG_FORMAT: z.enum(["auto", "json", "pretty"]).default("auto"),
  HELMDECK_METRICS_TOKEN: z.string().min(16, "HELMDECK_METRICS_TOKEN must be at least 16 characters").optional().or(z.literal("").transform(() => undefined)),
  HELMDECK_SHUTDOWN_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  // Build time only (next.config.mjs): Next's standalone output, as the Dockerfile builds it;
  // Turbopack's build cache (.next/cache), which speeds a rebuild but costs a one-off build ~25% more CPU.
  HELMDECK_STANDALONE: flag(false),
  HELMDECK_BUILD_CACHE: flag(true),
});

const known = new Set(Object.keys(envSchema.shape));

// Half a single sign-on configuration is a mistake to report, not a provider to leave out silently.
const checkedSchema = envSchema.superRefine((e, ctx) => {
  const oidc = [e.HELMDECK_OIDC_ISSUER, e.HELMDECK_OIDC_CLIENT_ID, e.HELMDECK_OIDC_CLIENT_SECRET];
  if (oidc.some(Boolean) && !oidc.every(Boolean)) {
    ctx.addIssue({ code: "custom", path: ["HELMDECK_OIDC_ISSUER"], message: "set HELMDECK_OIDC_ISSUER, HELMDECK_OIDC_CLIENT_ID and HELMDECK_OIDC_CLIENT_SECRET together" });
  }
});

/**
 * HELMDECK_ variables the server does not read: most likely a typo whose setting silently
 * does not apply, so start-up warns. Not an error: the client examples read HELMDECK_URL and
 * HELMDECK_TOKEN, which a shell may well export next to a server.
 */
function unknownVariables(vars: Record<string, string | undefined>): string[] {
  return Object.keys(vars).filter((name) => name.startsWith("HELMDECK_") && !known.has(name));
}

/**
 * Validates a set of variables (process.env unless given) without caching: start-up scripts
 * call it before anything else so that a bad value stops the process with its name.
 */
export function parseEnv(
  vars: Record<string, string | undefined> = process.env,
): { ok: true; env: Env; unknown: string[] } | { ok: false; message: string } {
  const parsed = checkedSchema.safeParse(vars);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".") || "(environment)"}: ${i.message}`);
    return { ok: false, message: `Invalid configuration:\n${problems.join("\n")}` };
  }
  return { ok: true, env: parsed.data, unknown: unknownVariables(vars) };
}

/** The start-up warning for HELMDECK_ variables nobody reads, or null. */
export const unknownVariablesWarning = (unknown: string[]) =>
  unknown.length === 0 ? null : `not Helmdeck settings, ignored (a typo? see the configuration table in README.md): ${unknown.join(", ")}`;

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

/** The validated configuration. The only reader of process.env in the app. */
export function env(): Env {
  if (!cached) {
    const parsed = parseEnv();
    if (!parsed.ok) throw new Error(parsed.message);
    cached = parsed.env;
  }
  return cached;
}

/** Tests change the environment between cases; production never calls this. */
export function resetEnvCache(): void {
  cached = undefined;
}
