import { env } from "@/env";
import type { DeployDriver } from "./driver";
import { createHelmDriver } from "./helm-driver";
import { createSimulatedDriver } from "./simulated-driver";

let configured: DeployDriver | undefined;

/** The driver chosen by HELMDECK_DRIVER. */
export function configuredDriver(): DeployDriver {
  if (!configured) {
    const config = env();
    configured =
      config.HELMDECK_DRIVER === "helm"
        ? createHelmDriver({ helmBin: config.HELMDECK_HELM_BIN, timeout: config.HELMDECK_HELM_TIMEOUT, chartRepo: config.HELMDECK_HELM_REPO })
        : createSimulatedDriver({ latencyMs: config.HELMDECK_SIMULATED_LATENCY_MS });
  }
  return configured;
}

export type { DeployDriver, DeployRequest, DeployResult } from "./driver";
