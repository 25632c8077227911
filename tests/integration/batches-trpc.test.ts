import { expect, it } from "vitest";
import { createCaller } from "@/server/api/root";
import type { Actor } from "@/server/auth/actor";
import type { Database } from "@/server/db/client";
import { describeEachDatabase, platformAdmin, viewerOf } from "../helpers/databases";
import { givenChart, givenRelease, givenTenant } from "../helpers/fixtures";

const callerFor = (db: Database, actor: Actor) => createCaller({ db, actor, authError: null, requestId: "test" });

describeEachDatabase("batches over tRPC", (getDb) => {
  it("preview, start, get, list, rollback and the events subscription mirror the REST operations", async () => {
    const { db } = getDb();
    const chartName = await givenChart(db, [{ version: "1.0.0" }, { version: "1.1.0" }]);
    const tenant = await givenTenant(db, { environment: "staging" });
    const release = await givenRelease(db, { tenantId: tenant.id, chartName, chartVersion: "1.0.0" });
    const admin = callerFor(db, platformAdmin);

    const preview = await admin.batches.preview({ chartName, targetVersion: "1.1.0" });
    expect(preview.items).toEqual([expect.objectContaining({ releaseId: release.id, action: "upgrade" })]);
    await expect(admin.batches.start({ chartName, targetVersion: "1.1.0", dryRun: true })).rejects.toMatchObject({ code: "BAD_REQUEST" });

    const batch = await admin.batches.start({ chartName, targetVersion: "1.1.0" });
    expect(batch).toMatchObject({ status: "SUCCEEDED", counts: { upgraded: 1 } });
    expect((await admin.batches.get({ batchId: batch.id })).items[0]).toMatchObject({ releaseId: release.id, status: "UPGRADED", revision: 2 });
    expect((await admin.batches.list({})).items.map((b) => b.id)).toContain(batch.id);
    await expect(admin.batches.pause({ batchId: batch.id })).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(callerFor(db, viewerOf(tenant.id)).batches.cancel({ batchId: batch.id })).rejects.toMatchObject({ code: "FORBIDDEN" });

    const events = [];
    for await (const e of await admin.batches.events({ batchId: batch.id })) events.push(e);
    expect(events).toHaveLength(1);

    const rollback = await admin.batches.rollback({ batchId: batch.id });
    expect(rollback).toMatchObject({ kind: "rollback", rollbackOf: batch.id, status: "SUCCEEDED" });
  });
});
