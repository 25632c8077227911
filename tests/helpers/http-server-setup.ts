import type { TestProject } from "vitest/node";
import { buildIfNeeded } from "../../scripts/lib/build";
import { startServer, type ServerProcess } from "./server-process";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    adminToken: string;
    adminEmail: string;
    adminPassword: string;
  }
}

let server: ServerProcess | undefined;

// The UI admin of the test server (the session tests sign in with it).
const admin = { email: "admin@http.test", password: "http-test-admin-password" };

/** Builds the app once per run and serves it with the demo seed for the HTTP contract tests. */
export async function setup(project: TestProject) {
  if (!buildIfNeeded()) throw new Error("next build failed");
  // A little simulated latency makes "operation in progress" observable over HTTP.
  server = await startServer({ HELMDECK_DEMO: "1", HELMDECK_SIMULATED_LATENCY_MS: "150", HELMDECK_ADMIN_EMAIL: admin.email, HELMDECK_ADMIN_PASSWORD: admin.password });
  project.provide("baseUrl", server.url);
  project.provide("adminToken", server.token);
  project.provide("adminEmail", admin.email);
  project.provide("adminPassword", admin.password);
}

export async function teardown() {
  await server?.stop();
}
