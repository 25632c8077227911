/**
 * `npm start`: build if the build is missing or older than the sources, then serve.
 * The server itself migrates and seeds on start-up (src/instrumentation.ts), so that a
 * bare `next start` behaves the same; this script only adds the build step, a readiness
 * wait and the sign-in hints.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseEnv, unknownVariablesWarning } from "../src/env";
import { buildIfNeeded, nextBin, projectRoot as root } from "./lib/build";
import { serverNodeOptions } from "./lib/server-heap";
import { apiTokenHint } from "./lib/start-banner";

// A bad setting stops here, in a second, naming the variable, not after a build.
const checked = parseEnv(process.env);
if (!checked.ok) {
  console.error(`helmdeck: ${checked.message}`);
  process.exit(1);
}
const unknownWarning = unknownVariablesWarning(checked.unknown);
if (unknownWarning) console.warn(`helmdeck: ${unknownWarning}`);

const config = process.env;
const port = Number(config.PORT ?? 3000);
const dataDir = path.resolve(root, config.HELMDECK_DATA_DIR ?? ".data");

/** Without HELMDECK_BOOTSTRAP_TOKEN, a first start makes one and keeps it beside the data. */
function bootstrapToken(): { token: string; generated: boolean; file?: string } {
  if (config.HELMDECK_BOOTSTRAP_TOKEN) return { token: config.HELMDECK_BOOTSTRAP_TOKEN, generated: false };
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, "bootstrap-token");
  if (!existsSync(file)) writeFileSync(file, `hd_${randomBytes(24).toString("base64url")}\n`, { mode: 0o600 });
  return { token: readFileSync(file, "utf8").trim(), generated: true, file };
}

/** The UI admin: configured, or generated on first start (its password is in the server log above, once). */
function adminHint(): string {
  const email = config.HELMDECK_ADMIN_EMAIL ?? "admin@helmdeck.local";
  return config.HELMDECK_ADMIN_PASSWORD
    ? `${email} (password from HELMDECK_ADMIN_PASSWORD)`
    : `${email} (password printed once in the log on first start; set HELMDECK_ADMIN_EMAIL and HELMDECK_ADMIN_PASSWORD to choose one)`;
}

async function waitUntilReady(url: string, child: ReturnType<typeof spawn>): Promise<boolean> {
  for (let i = 0; i < 600 && child.exitCode === null; i++) {
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

if (!buildIfNeeded(console.log, { cache: "when-rebuilding" })) process.exit(1);

const { token, generated, file } = bootstrapToken();
const url = `http://localhost:${port}`;
const child = spawn(process.execPath, [nextBin, "start", "-p", String(port)], {
  cwd: root,
  stdio: "inherit",
  env: { ...config, NODE_OPTIONS: serverNodeOptions(config.NODE_OPTIONS), HELMDECK_BOOTSTRAP_TOKEN: token, NEXTAUTH_URL: config.NEXTAUTH_URL ?? url, NEXT_TELEMETRY_DISABLED: "1" },
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

if (await waitUntilReady(url, child)) {
  console.log(`
  Helmdeck is running at ${url}
  Database: ${config.DATABASE_URL ? "PostgreSQL (DATABASE_URL)" : `embedded PGlite in ${path.join(dataDir, "pglite")}`}
${apiTokenHint({ token, generated, file, url })}
  Sign in at ${url}/sign-in as ${adminHint()}
  Demo accounts (one tenant-admin and one viewer per demo tenant, password demo-password): docs/identity.md
`);
}
