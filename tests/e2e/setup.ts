import type { TestProject } from "vitest/node";
import { buildIfNeeded } from "../../scripts/lib/build";
import { startServer, type ServerProcess } from "../helpers/server-process";

declare module "vitest" {
  export interface ProvidedContext {
    e2eBaseUrl: string;
    e2eAdminToken: string;
  }
}

let server: ServerProcess | undefined;

/** One built app with the demo seed for the browser tests (its own data dir, its own port). */
export async function setup(project: TestProject) {
  if (!buildIfNeeded()) throw new Error("next build failed");
  server = await startServer({ HELMDECK_DEMO: "1" });
  project.provide("e2eBaseUrl", server.url);
  project.provide("e2eAdminToken", server.token);
}

export async function teardown() {
  await server?.stop();
}
