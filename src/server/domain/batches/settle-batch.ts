import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { asc, eq, and } from "drizzle-orm";
import type { ReleaseView } from "@/contracts/releases";
import type { Database } from "@/server/db/client";
import { batchItems, batches, releases, tenants } from "@/server/db/schema";
import type { DeployDriver } from "@/server/deploy/driver";
import { releaseColumns, toReleaseView } from "../releases/views";
import { claimBatch } from "./batch-lease";
import { isFinished, type BatchRow } from "./batch-view";
import { runBatch } from "./run-batch";

/**
 * Runs a batch in this process until it ends or pauses: what a synchronous batch request
 * waits for. If another runner holds it, this waits for that runner instead, and takes over
 * through the ordinary claim if that runner dies.
 */
export async function runBatchUntilSettled({ db, batchId, driver }: { db: Database; batchId: string; driver?: DeployDriver }): Promise<BatchRow> {
  const runnerId = `inline:${randomUUID()}`;
  for (;;) {
    const [batch] = await db.select().from(batches).where(eq(batches.id, batchId));
    if (!batch || isFinished(batch.status) || batch.status === "PAUSED") return batch!;
    if (await claimBatch(db, runnerId, { batchId })) await runBatch({ db, batchId, runnerId, driver });
    else await sleep(250);
  }
}

/** The releases a batch upgraded (or rolled back), as they are now, in processing order. */
export async function releasesUpgradedBy(db: Database, batchId: string): Promise<ReleaseView[]> {
  const rows = await db
    .select(releaseColumns)
    .from(batchItems)
    .innerJoin(releases, eq(releases.id, batchItems.releaseId))
    .innerJoin(tenants, eq(tenants.id, releases.tenantId))
    .where(and(eq(batchItems.batchId, batchId), eq(batchItems.status, "UPGRADED")))
    .orderBy(asc(batchItems.position));
  return rows.map(toReleaseView);
}
