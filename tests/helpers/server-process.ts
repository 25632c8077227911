import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { nextBin, projectRoot } from "../../scripts/lib/build";
import { serverNodeOptions } from "../../scripts/lib/server-heap";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  url: string;
  token: string;
  child: ChildProcess;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * A real `next start` of the built app on a free port, with its own embedded data dir
 * (or DATABASE_URL when given) and a known platform-admin token.
 */
export async function startServer(env: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort();
  const token = env.HELMDECK_BOOTSTRAP_TOKEN ?? `hd_test_${randomBytes(16).toString("hex")}`;
  const dataDir = env.HELMDECK_DATA_DIR ?? mkdtempSync(path.join(tmpdir(), "helmdeck-http-"));
  let log = "";
  const child = spawn(process.execPath, [nextBin, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: projectRoot,
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      // The heap limit production runs with, so that a request that needs more fails here first.
      NODE_OPTIONS: serverNodeOptions(process.env.NODE_OPTIONS),
      HELMDECK_DATA_DIR: dataDir,
      HELMDECK_BOOTSTRAP_TOKEN: token,
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      NEXTAUTH_SECRET: "test-secret-for-http-tests-only",
      // JSON lines at info, whatever the test process itself runs with: tests read them.
      HELMDECK_LOG_LEVEL: "info",
      HELMDECK_LOG_FORMAT: "json",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (log += d));
  child.stderr!.on("data", (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early (code ${child.exitCode}):\n${log}`);
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`server did not become ready:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    token,
    child,
    output: () => log,
    stop: (signal = "SIGTERM") =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
        child.once("exit", () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill(signal);
      }),
  };
}
