import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "drizzle-orm";
import { getDatabaseHandle, type DatabaseKind } from "@/server/db/client";
import { log } from "@/server/observability/log";
import { ensureReady } from "./ensure-ready";
import { isStopping } from "./stopping";

export type Readiness =
  | { ready: true; status: "ok"; database: DatabaseKind }
  | { ready: false; status: "stopping" | "starting" | "unavailable"; database?: DatabaseKind };

// A probe must answer within a load balancer's timeout even when the database hangs.
const START_WAIT_MS = 2_000;
const PING_TIMEOUT_MS = 2_000;

const timeout = (ms: number) => sleep(ms, "timeout" as const, { ref: false });

/**
 * Ready: start-up (migrations included) has finished and the database answers now. A clean
 * stop makes this false at once, so that a load balancer drains the instance.
 */
export async function checkReadiness(): Promise<Readiness> {
  if (isStopping()) return { ready: false, status: "stopping" };
  try {
    const started = await Promise.race([ensureReady().then(() => "done" as const), timeout(START_WAIT_MS)]);
    if (started === "timeout") return { ready: false, status: "starting" };
    const { db, kind } = await getDatabaseHandle();
    const ping = await Promise.race([db.execute(sql`select 1`).then(() => "ok" as const), timeout(PING_TIMEOUT_MS)]);
    if (ping === "timeout") {
      log.warn({ database: kind, timeoutMs: PING_TIMEOUT_MS }, "readiness: the database did not answer in time");
      return { ready: false, status: "unavailable", database: kind };
    }
    return isStopping() ? { ready: false, status: "stopping", database: kind } : { ready: true, status: "ok", database: kind };
  } catch (err) {
    log.warn({ err }, "readiness: the database is not reachable or start-up failed");
    return { ready: false, status: "unavailable" };
  }
}
