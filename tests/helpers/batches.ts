import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { eq } from "drizzle-orm";
import type { ReleaseView } from "@/contracts/releases";
import type { Database } from "@/server/db/client";
import { batches } from "@/server/db/schema";
import type { DeployDriver } from "@/server/deploy/driver";
import { claimBatch } from "@/server/domain/batches/batch-lease";
import { isFinished } from "@/server/domain/batches/batch-view";
import { runBatch } from "@/server/domain/batches/run-batch";
import { releasesUpgradedBy } from "@/server/domain/batches/submit-batch";

/**
 * Runs an existing batch as a runner would until it ends or pauses: claims it when it can,
 * otherwise waits for whichever runner holds it (several of these may race for one batch).
 */
export async function runUntilSettled({ db, batchId, driver }: { db: Database; batchId: string; driver?: DeployDriver }) {
  const runnerId = `test:${randomUUID()}`;
  for (;;) {
    const [batch] = await db.select().from(batches).where(eq(batches.id, batchId));
    if (!batch || isFinished(batch.status) || batch.status === "PAUSED") return batch!;
    if (await claimBatch(db, runnerId, { batchId })) await runBatch({ db, batchId, runnerId, driver });
    else await sleep(20);
  }
}

export async function allUpgradedBy(db: Database, batchId: string): Promise<ReleaseView[]> {
  const all: ReleaseView[] = [];
  for await (const page of releasesUpgradedBy(db, batchId)) all.push(...page);
  return all;
}
