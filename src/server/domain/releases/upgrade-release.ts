import type { ReleaseWithRevision, UpgradeReleaseInput } from "@/contracts/releases";
import type { DomainContext } from "../context";
import { enforceBlockingChecks, prepareUpgrade } from "./prepare-upgrade";
import { loadReleaseWithRevision, runOperation } from "./release-operation";
import { rollbackRelease } from "./rollback-release";

/**
 * Upgrades one release and waits for the driver. With `atomic`, a failed upgrade is
 * followed by a rollback to what ran before (a further revision, as helm --atomic does);
 * the answer still names the failed upgrade's revision.
 */
export async function upgradeRelease({
  ctx,
  input,
  batchId,
}: {
  ctx: DomainContext;
  input: UpgradeReleaseInput;
  batchId?: string | null;
}): Promise<ReleaseWithRevision> {
  const result = await runOperation(ctx, {
    releaseId: input.releaseId,
    operation: "upgrade",
    batchId,
    plan: async (tx, target) => {
      const prepared = await prepareUpgrade(tx, target, input);
      enforceBlockingChecks(prepared, input);
      return prepared.planned;
    },
  });
  const runningRevision = result.release.revision;
  if (input.atomic && result.revision.status === "FAILED" && runningRevision !== null) {
    await rollbackRelease({
      ctx,
      input: { releaseId: input.releaseId, revision: runningRevision, description: `Rollback to ${runningRevision} (atomic upgrade to ${input.chartVersion} failed)` },
      batchId,
    });
    return loadReleaseWithRevision(ctx, input.releaseId, result.revision.revision);
  }
  return result;
}
