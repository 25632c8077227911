import { createHash } from "node:crypto";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { stringify } from "yaml";
import { chartYaml, tarGz } from "./tar-builder";

/** `chunks`: the body is streamed in these pieces without a Content-Length; `hang`: headers never come. */
type Served = { status?: number; headers?: Record<string, string>; body?: string | Buffer; chunks?: Buffer[]; hang?: boolean };

/**
 * A real Helm HTTP repository on loopback: index.yaml and .tgz files built by the test,
 * plus any extra answers (redirects, errors) a test sets per path.
 */
export class HelmRepositoryServer {
  readonly routes = new Map<string, Served>();
  readonly requests: string[] = [];
  private server: Server | undefined;
  private readonly hanging: ServerResponse[] = [];
  url = "";

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const path = new URL(req.url ?? "/", "http://x").pathname;
      this.requests.push(path);
      const served = this.routes.get(path);
      if (!served) {
        res.writeHead(404).end("not found");
        return;
      }
      if (served.hang) {
        this.hanging.push(res);
        return;
      }
      res.writeHead(served.status ?? 200, served.headers ?? {});
      if (served.chunks) {
        for (const chunk of served.chunks) res.write(chunk);
        res.end();
      } else res.end(served.body ?? "");
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
    return this;
  }

  stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Serves index.yaml listing the given charts, each archive under `prefix` (relative) or absolute when `absolute`. */
  publishIndex(prefix: string, charts: Array<{ name: string; version: string; archive: Buffer; digest?: string; absolute?: boolean }>): void {
    const entries: Record<string, unknown[]> = {};
    for (const c of charts) {
      const file = `${c.name}-${c.version}.tgz`;
      this.routes.set(`${prefix}/${file}`, { body: c.archive, headers: { "content-type": "application/gzip" } });
      const digest = c.digest ?? createHash("sha256").update(c.archive).digest("hex");
      (entries[c.name] ??= []).push({ apiVersion: "v2", name: c.name, version: c.version, digest, urls: [c.absolute ? `${this.url}${prefix}/${file}` : file], created: "2026-01-01T00:00:00Z" });
    }
    this.routes.set(`${prefix}/index.yaml`, { body: stringify({ apiVersion: "v1", entries, generated: "2026-01-01T00:00:00Z" }) });
  }
}

/** A packaged chart as `helm package` would make it (Chart.yaml and values.yaml). */
export const chartArchive = (name: string, version: string, values = "replicaCount: 1\n") =>
  tarGz([
    { path: `${name}/Chart.yaml`, body: chartYaml(name, version) },
    { path: `${name}/values.yaml`, body: values },
  ]);
