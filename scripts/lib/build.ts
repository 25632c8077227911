import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

export const projectRoot = path.resolve(import.meta.dirname, "..", "..");
export const nextBin = path.join(projectRoot, "node_modules", "next", "dist", "bin", "next");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** A build exists and is newer than every source and config file that goes into it. */
export function buildIsCurrent(): boolean {
  const buildId = path.join(projectRoot, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return false;
  const inputs = [
    newestMtime(path.join(projectRoot, "src")),
    ...["package-lock.json", "next.config.mjs", "tsconfig.json", "postcss.config.mjs"].map((f) => statSync(path.join(projectRoot, f)).mtimeMs),
  ];
  return statSync(buildId).mtimeMs >= Math.max(...inputs);
}

/**
 * Runs `next build` unless the build is current. Returns false when the build failed.
 * `cache: "when-rebuilding"` writes Turbopack's build cache only if an earlier build left one
 * (a checkout that is rebuilt); a first build then skips the cost of writing it.
 */
export function buildIfNeeded(log: (line: string) => void = console.log, options: { cache?: "always" | "when-rebuilding" } = {}): boolean {
  if (buildIsCurrent()) return true;
  log("helmdeck: building the app (first start, or sources changed)…");
  const cache = options.cache !== "when-rebuilding" || existsSync(path.join(projectRoot, ".next", "cache", "turbopack"));
  const build = spawnSync(process.execPath, [nextBin, "build"], {
    cwd: projectRoot,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", HELMDECK_BUILD_CACHE: cache ? "1" : "0" },
  });
  return build.status === 0;
}
