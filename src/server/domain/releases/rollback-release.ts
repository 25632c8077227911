import { and, desc, eq } from "drizzle-orm";
import type { ReleaseWithRevision, RollbackReleaseInput } from "@/contracts/releases";
import { revisions } from "@/server/db/schema";
import type { DomainContext } from "../context";
import { DomainError } from "../errors";
import { runOperation } from "./release-operation";

/**
 * Rolls a release back to revision N (default: the last SUPERSEDED one): a new revision
 * that copies N's chart version, app version and values.
 */
export async function rollbackRelease({
  ctx,
  input,
  batchId,
}: {
  ctx: DomainContext;
  input: RollbackReleaseInput;
  batchId?: string | null;
}): Promise<ReleaseWithRevision> {
  return runOperation(ctx, {
    releaseId: input.releaseId,
    operation: "rollback",
    batchId,
    plan: async (tx, { release }) => {
      const [target] = await tx
        .select()
        .from(revisions)
        .where(
          input.revision !== undefined
            ? and(eq(revisions.releaseId, release.id), eq(revisions.revision, input.revision))
            : and(eq(revisions.releaseId, release.id), eq(revisions.status, "SUPERSEDED")),
        )
        .orderBy(desc(revisions.revision))
        .limit(1);
      if (!target) {
        throw input.revision !== undefined
          ? new DomainError("VALIDATION_FAILED", `release ${release.name} has no revision ${input.revision}`, {
              errors: [{ path: "revision", message: `no revision ${input.revision} (latest is ${release.latestRevision})` }],
            })
          : new DomainError("UNPROCESSABLE", `release ${release.name} has no superseded revision to roll back to`);
      }
      return {
        chartVersion: target.chartVersion,
        appVersion: target.appVersion,
        valuesOverride: {},
        userValues: target.userValues,
        values: target.values,
        description: input.description ?? `Rollback to ${target.revision}`,
        rollbackTo: target.revision,
      };
    },
  });
}
