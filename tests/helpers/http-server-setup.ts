import type { TestProject } from "vitest/node";
import { buildIfNeeded } from "../../scripts/lib/build";
import { startServer, type ServerProcess } from "./server-process";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    adminToken: string;
  }
}

let server: ServerProcess | undefined;

/** Builds the app once per run and serves it with the demo seed for the HTTP contract tests. */
export async function setup(project: TestProject) {
  if (!buildIfNeeded()) throw new Error("next build failed");
  // A little simulated latency makes "operation in progress" observable over HTTP.
  server = await startServer({ HELMDECK_DEMO: "1", HELMDECK_SIMULATED_LATENCY_MS: "150" });
  project.provide("baseUrl", server.url);
  project.provide("adminToken", server.token);
}

export async function teardown() {
  await server?.stop();
}
