import type { TestProject } from "vitest/node";
import { buildIfNeeded } from "../../scripts/lib/build";
import { startServer, type ServerProcess } from "../helpers/server-process";

declare module "vitest" {
  export interface ProvidedContext {
    e2eBaseUrl: string;
    e2eAdminToken: string;
    e2eAdminEmail: string;
    e2eAdminPassword: string;
  }
}

let server: ServerProcess | undefined;

const ADMIN_EMAIL = "e2e-admin@helmdeck.test";
const ADMIN_PASSWORD = "e2e-admin-password";

/**
 * One built app with the demo seed for the browser tests (its own data dir, its own port).
 * Each simulated deploy takes 250 ms, so a batch of a dozen releases runs long enough to be
 * watched live; the demo seed itself deploys without delay.
 */
export async function setup(project: TestProject) {
  if (!buildIfNeeded()) throw new Error("next build failed");
  server = await startServer({
    HELMDECK_DEMO: "1",
    HELMDECK_ADMIN_EMAIL: ADMIN_EMAIL,
    HELMDECK_ADMIN_PASSWORD: ADMIN_PASSWORD,
    HELMDECK_SIMULATED_LATENCY_MS: "250",
  });
  project.provide("e2eBaseUrl", server.url);
  project.provide("e2eAdminToken", server.token);
  project.provide("e2eAdminEmail", ADMIN_EMAIL);
  project.provide("e2eAdminPassword", ADMIN_PASSWORD);
}

export async function teardown() {
  await server?.stop();
}
