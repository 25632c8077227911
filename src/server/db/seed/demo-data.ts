import type { PublishChartInput } from "@/contracts/charts";
import type { CreateTenantInput } from "@/contracts/tenants";

/**
 * The demo fleet: matih-query-engine runs 25 times, 8 on 1.3.0 (every development and
 * staging release), 15 on 1.2.0 and 2 on 1.1.0 (production), so that the fleet view shows
 * {"1.2.0": 15, "1.3.0": 8, "1.1.0": 2}. Tenant "umbrella" has a quota too small for
 * 1.3.0's resource requests: upgrading it fails, as a cluster's ResourceQuota would.
 */
const weekendNights = { days: ["sat", "sun"] as ("sat" | "sun")[], start: "01:00", end: "05:00" };

export const demoTenants: CreateTenantInput[] = [
  { slug: "acme-dev", name: "Acme (development)", environment: "development" },
  { slug: "globex-dev", name: "Globex (development)", environment: "development" },
  { slug: "acme-staging", name: "Acme (staging)", environment: "staging", quota: { cpu: "16", memory: "32Gi" } },
  { slug: "initech-staging", name: "Initech (staging)", environment: "staging" },
  { slug: "acme", name: "Acme Corp", environment: "production", quota: { cpu: "32", memory: "64Gi" } },
  { slug: "globex", name: "Globex", environment: "production", quota: { cpu: "32", memory: "64Gi" } },
  { slug: "initech", name: "Initech", environment: "production", maintenanceWindow: weekendNights },
  { slug: "umbrella", name: "Umbrella", environment: "production", quota: { cpu: "2500m", memory: "8Gi" } },
  { slug: "hooli", name: "Hooli", environment: "production" },
  { slug: "stark", name: "Stark Industries", environment: "production", maintenanceWindow: { days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], start: "22:00", end: "06:00" } },
  { slug: "wayne", name: "Wayne Enterprises", environment: "production" },
  { slug: "wonka", name: "Wonka", environment: "production" },
];

const queryEngineSchema = {
  $schema: "http://json-schema.org/draft-07/schema#",
  type: "object",
  properties: {
    replicaCount: { type: "integer", minimum: 0, maximum: 50 },
    image: {
      type: "object",
      properties: { repository: { type: "string" }, tag: { type: "string" }, pullPolicy: { enum: ["Always", "IfNotPresent", "Never"] } },
      required: ["repository", "tag"],
    },
    resources: { type: "object" },
    service: { type: "object", properties: { type: { enum: ["ClusterIP", "NodePort", "LoadBalancer"] }, port: { type: "integer", minimum: 1, maximum: 65535 } } },
  },
};

const queryEngineDefaults = (tag: string, extra: Record<string, unknown> = {}) => ({
  replicaCount: 2,
  image: { repository: "ghcr.io/matih/query-engine", tag, pullPolicy: "IfNotPresent" },
  service: { type: "ClusterIP", port: 8080 },
  resources: { requests: { cpu: "500m", memory: "1Gi" }, limits: { cpu: "1", memory: "2Gi" } },
  engine: { workers: 4, queryTimeoutSeconds: 300, cache: { enabled: true, sizeMb: 512 } },
  ingress: { enabled: false, hosts: [] },
  tolerations: [],
  ...extra,
});

export const demoCharts: PublishChartInput[] = [
  {
    name: "matih-query-engine",
    version: "1.1.0",
    appVersion: "2.4.0",
    defaultValues: queryEngineDefaults("2.4.0"),
    valuesSchema: queryEngineSchema,
    changes: [{ kind: "added", description: "Query result cache" }],
    deprecated: false,
  },
  {
    name: "matih-query-engine",
    version: "1.2.0",
    appVersion: "2.5.1",
    defaultValues: queryEngineDefaults("2.5.1", { metrics: { enabled: true, port: 9090 } }),
    valuesSchema: queryEngineSchema,
    changes: [
      { kind: "added", description: "Prometheus metrics endpoint" },
      { kind: "security", description: "Base image updated for CVE-2026-1234" },
    ],
    deprecated: false,
  },
  {
    name: "matih-query-engine",
    version: "1.3.0",
    appVersion: "2.6.0",
    defaultValues: queryEngineDefaults("2.6.0", {
      replicaCount: 3,
      resources: { requests: { cpu: "1", memory: "2Gi" }, limits: { cpu: "2", memory: "4Gi" } },
      metrics: { enabled: true, port: 9090 },
      engine: { workers: 8, queryTimeoutSeconds: 300, cache: { enabled: true, sizeMb: 1024 } },
    }),
    valuesSchema: queryEngineSchema,
    changes: [
      { kind: "changed", description: "Three replicas and 1 CPU per replica by default" },
      { kind: "fixed", description: "Planner no longer drops predicates on joins" },
    ],
    deprecated: false,
  },
  {
    name: "matih-gateway",
    version: "2.0.0",
    appVersion: "1.8.0",
    defaultValues: { replicaCount: 2, image: { repository: "ghcr.io/matih/gateway", tag: "1.8.0" }, resources: { requests: { cpu: "250m", memory: "256Mi" } }, tls: { enabled: true } },
    changes: [],
    deprecated: false,
  },
  {
    name: "matih-gateway",
    version: "2.1.0",
    appVersion: "1.9.2",
    defaultValues: { replicaCount: 2, image: { repository: "ghcr.io/matih/gateway", tag: "1.9.2" }, resources: { requests: { cpu: "250m", memory: "256Mi" } }, tls: { enabled: true }, rateLimit: { rps: 100 } },
    changes: [{ kind: "added", description: "Per-tenant rate limiting" }, { kind: "deprecated", description: "tls.legacyCiphers will be removed in 3.0" }],
    deprecated: false,
  },
  {
    name: "matih-gateway",
    version: "3.0.0",
    appVersion: "2.0.0",
    defaultValues: { replicaCount: 2, image: { repository: "ghcr.io/matih/gateway", tag: "2.0.0" }, resources: { requests: { cpu: "250m", memory: "256Mi" } }, tls: { enabled: true }, rateLimit: { rps: 100 } },
    changes: [{ kind: "removed", description: "tls.legacyCiphers" }, { kind: "security", description: "TLS 1.3 only" }],
    deprecated: false,
  },
  {
    name: "matih-catalog",
    version: "0.9.0",
    appVersion: "0.9.0",
    defaultValues: { replicaCount: 1, image: { repository: "ghcr.io/matih/catalog", tag: "0.9.0" }, persistence: { size: "10Gi" } },
    changes: [],
    deprecated: true,
  },
  {
    name: "matih-catalog",
    version: "1.0.0-rc.1",
    appVersion: "1.0.0-rc.1",
    defaultValues: { replicaCount: 1, image: { repository: "ghcr.io/matih/catalog", tag: "1.0.0-rc.1" }, persistence: { size: "20Gi" } },
    changes: [{ kind: "changed", description: "Storage format v2" }],
    deprecated: false,
  },
];

/** Which version each production tenant's two query-engine releases run (after history). */
export const productionVersions: Record<string, [string, string]> = {
  acme: ["1.2.0", "1.2.0"],
  globex: ["1.2.0", "1.2.0"],
  initech: ["1.2.0", "1.1.0"],
  umbrella: ["1.2.0", "1.2.0"],
  hooli: ["1.2.0", "1.2.0"],
  stark: ["1.2.0", "1.2.0"],
  wayne: ["1.2.0", "1.1.0"],
  wonka: ["1.2.0", "1.2.0"],
};

/**
 * Demo sign-ins, listed in docs/identity.md: per demo tenant a tenant-admin and a viewer,
 * all with one published password. HELMDECK_DEMO=0 keeps them (and the fleet) out.
 */
export const DEMO_PASSWORD = "demo-password";
export const demoAccountEmail = (slug: string, role: "admin" | "viewer") => `${slug}-${role}@demo.helmdeck.local`;
