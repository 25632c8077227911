import path from "node:path";
import { defineConfig } from "vitest/config";

// Tests import server modules directly: "server-only" guards against client bundles, not against Node.
const alias = { "@": path.resolve(import.meta.dirname, "src"), "server-only": path.resolve(import.meta.dirname, "node_modules/server-only/empty.js") };
// In-process tests log only warnings and errors: a line per audit event would bury the report.
const env = { HELMDECK_LOG_LEVEL: "warn" };

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      { resolve: { alias }, test: { name: "unit", include: ["tests/unit/**/*.test.ts"], environment: "node", env } },
      {
        resolve: { alias },
        test: { name: "integration", include: ["tests/integration/**/*.test.ts"], environment: "node", env, testTimeout: 60_000, hookTimeout: 120_000 },
      },
      {
        resolve: { alias },
        test: {
          name: "http",
          // tests/security attacks the same real server (and the fuzz test its own, on PostgreSQL).
          include: ["tests/http/**/*.test.ts", "tests/security/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/helpers/http-server-setup.ts"],
          // The contract test: every /api/v1 answer is checked against the served OpenAPI document.
          setupFiles: ["tests/helpers/record-exchanges.ts"],
          // Only the in-process side: servers under test log at info (tests/helpers/server-process.ts).
          env,
          testTimeout: 60_000,
          hookTimeout: 300_000,
          // One server for the whole project: files run one after another against it.
          fileParallelism: false,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          environment: "node",
          globalSetup: ["tests/e2e/setup.ts"],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          // One server and one Chromium at a time: two cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
