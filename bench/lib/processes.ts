import { fork, spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { freePort } from "../../tests/helpers/server-process";
import { nextBin, projectRoot } from "../../scripts/lib/build";
import { serverNodeOptions } from "../../scripts/lib/server-heap";

export interface RunningProcess {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

/** A bare node:http server answering `body`, in its own process like the app. */
export async function startBareServer(body: string): Promise<RunningProcess> {
  const child = fork(path.join(import.meta.dirname, "bare-server.mjs"), [], { env: { ...process.env, BARE_BODY: body }, stdio: ["ignore", "ignore", "inherit", "ipc"] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once("message", (m) => resolve((m as { port: number }).port));
    child.once("exit", (code) => reject(new Error(`bare server exited (${code})`)));
  });
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => stopChild(child) };
}

/** A real `next start` of the built app, with the heap limit `npm start` gives it; its output goes to logFile, not into this process's memory. */
export async function startApp(env: Record<string, string>, logFile: string, nodeArgs: string[] = []): Promise<RunningProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log = createWriteStream(logFile, { flags: "a" });
  const child = spawn(process.execPath, [...nodeArgs, nextBin, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: projectRoot,
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", NEXTAUTH_URL: url, NEXTAUTH_SECRET: "bench-secret-not-for-production", HELMDECK_DEMO: "0", NODE_OPTIONS: serverNodeOptions(process.env.NODE_OPTIONS), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited early (code ${child.exitCode}); see ${logFile}`);
    const ready = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) {
      await stopChild(child, "SIGKILL");
      throw new Error(`the app did not become ready; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, pid: child.pid!, stop: () => stopChild(child) };
}

function statusField(pid: number, field: "VmRSS" | "VmHWM"): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function descendants(pid: number): number[] {
  const children: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const listed = readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
      if (listed) children.push(...listed.split(/\s+/).map(Number));
    }
  } catch {
    // gone
  }
  return children.flatMap((c) => [c, ...descendants(c)]);
}

/**
 * Resident memory of a process and everything it started, sampled every 250 ms, plus the
 * kernel's own high-water mark of each, which catches peaks between samples.
 */
export function watchMemory(pid: number) {
  let peak = 0;
  const sample = () => {
    const tree = [pid, ...descendants(pid)];
    peak = Math.max(peak, tree.reduce((sum, p) => sum + statusField(p, "VmRSS"), 0));
  };
  sample();
  const timer = setInterval(sample, 250);
  return {
    current: () => [pid, ...descendants(pid)].reduce((sum, p) => sum + statusField(p, "VmRSS"), 0),
    /** The largest sampled total, or the largest single process's high-water mark if higher. */
    peak: () => {
      sample();
      return Math.max(peak, ...[pid, ...descendants(pid)].map((p) => statusField(p, "VmHWM")));
    },
    stop: () => clearInterval(timer),
  };
}
