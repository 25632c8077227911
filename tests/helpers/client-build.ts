import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "../../scripts/lib/build";

const newest = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce((max, e) => Math.max(max, e.isDirectory() ? newest(path.join(dir, e.name)) : statSync(path.join(dir, e.name)).mtimeMs), 0);

/** `npm run build:client` unless dist/ is newer than every source (as another project would install it). */
export function buildClientIfNeeded(): void {
  const built = path.join(projectRoot, "dist", "client", "index.js");
  const inputs = [newest(path.join(projectRoot, "src")), ...["tsconfig.json", "tsconfig.client.json", "package.json"].map((f) => statSync(path.join(projectRoot, f)).mtimeMs)];
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...inputs)) return;
  const build = spawnSync("npm", ["run", "build:client"], { cwd: projectRoot, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`npm run build:client failed:\n${build.stdout}\n${build.stderr}`);
}
