import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { DeployDriver, DeployRequest, DeployResult } from "./driver";

export interface HelmDriverOptions {
  helmBin: string;
  timeout: string;
  /** Prefix for chart references, e.g. "oci://registry.example.com/charts" or a repo alias. */
  chartRepo?: string;
}

type Run = { code: number; stdout: string; stderr: string };

function run(bin: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("error", (e) => resolve({ code: 127, stdout, stderr: `cannot run ${bin}: ${e.message}` }));
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** The command line for a revision; exported so that tests can read it without a helm. */
export function helmArgs(request: DeployRequest, options: HelmDriverOptions, valuesFile: string): string[] {
  const context = request.tenant.kubeContext ? ["--kube-context", request.tenant.kubeContext] : [];
  if (request.operation === "rollback") {
    return ["rollback", request.release.name, String(request.rollbackTo), "--namespace", request.release.namespace, "--wait", "--timeout", options.timeout, ...context];
  }
  const chartRef = options.chartRepo ? `${options.chartRepo.replace(/\/$/, "")}/${request.release.chartName}` : request.release.chartName;
  return [
    "upgrade",
    "--install",
    request.release.name,
    chartRef,
    "--version",
    request.chartVersion,
    "--namespace",
    request.release.namespace,
    "--create-namespace",
    "--values",
    valuesFile,
    "--description",
    request.description,
    "--wait",
    "--timeout",
    options.timeout,
    "--output",
    "json",
    ...context,
  ];
}

/** helm exited 0; with `-o json` it also says the release's status, which must be "deployed". */
function readHelmStatus(stdout: string): DeployResult {
  if (!stdout.trim()) return { ok: true };
  try {
    const status = (JSON.parse(stdout) as { info?: { status?: string } }).info?.status;
    return status === undefined || status === "deployed" ? { ok: true } : { ok: false, error: `helm reported status ${status}` };
  } catch {
    // Not JSON (helm rollback prints text): the exit code already said success.
    return { ok: true };
  }
}

/** Runs the real helm binary; a non-zero exit is a FAILED revision with helm's stderr. */
export function createHelmDriver(options: HelmDriverOptions): DeployDriver {
  return {
    name: "helm",
    claimsNamespaces: true,
    async apply(request) {
      const dir = await mkdtemp(path.join(tmpdir(), "helmdeck-"));
      try {
        const valuesFile = path.join(dir, "values.json");
        // JSON is YAML: helm reads it as a values file unchanged.
        await writeFile(valuesFile, JSON.stringify(request.values), { mode: 0o600 });
        const result = await run(options.helmBin, helmArgs(request, options, valuesFile));
        if (result.code !== 0) return { ok: false, error: result.stderr.trim() || `helm exited with code ${result.code}` };
        return readHelmStatus(result.stdout);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
