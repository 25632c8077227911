import "server-only";
import type { Actor } from "@/server/auth/actor";
import type { Database } from "@/server/db/client";
import type { DeployDriver } from "@/server/deploy/driver";

/** What every use case receives: where to read and write, who acts, and how to deploy. */
export interface DomainContext {
  db: Database;
  actor: Actor;
  requestId?: string;
  /** Overrides the configured deploy driver (tests use a fake helm, benchmarks none). */
  driver?: DeployDriver;
}
