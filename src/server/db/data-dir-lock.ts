import { openSync, readFileSync, rmSync, writeFileSync, closeSync } from "node:fs";
import path from "node:path";
import { log } from "@/server/observability/log";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * PGlite does not lock its data dir, and two processes writing one dir corrupt it. This
 * lock file names the owning process; a lock left by a process that no longer runs
 * (kill -9) is repaired, a live owner is refused with a plain explanation.
 */
export function lockDataDir(dataDir: string): () => void {
  const lockFile = path.join(dataDir, "helmdeck.lock");
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockFile, "wx");
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockFile, { force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const owner = Number(readFileSync(lockFile, "utf8").trim());
      if (owner === process.pid) return () => rmSync(lockFile, { force: true });
      if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
        throw new Error(
          `the embedded database in ${dataDir} is in use by another Helmdeck process (pid ${owner}). ` +
            `Stop that process, or point HELMDECK_DATA_DIR elsewhere; to run several instances, use PostgreSQL (DATABASE_URL).`,
        );
      }
      log.warn({ dataDir, owner: owner || null }, "removing a stale lock left by a process that no longer runs");
      rmSync(lockFile, { force: true });
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}
