import { z } from "zod";
import { idSchema } from "@/contracts/common";
import {
  installReleaseInput,
  listReleasesQuery,
  releaseSchema,
  releaseWithRevision,
  revisionSchema,
  rollbackReleaseInput,
  upgradePlanSchema,
  upgradeReleaseInput,
} from "@/contracts/releases";
import { getRelease, getRevision, listRevisions } from "@/server/domain/releases/get-release";
import { installRelease } from "@/server/domain/releases/install-release";
import { listReleases } from "@/server/domain/releases/list-releases";
import { planUpgrade } from "@/server/domain/releases/plan-upgrade";
import { rollbackRelease } from "@/server/domain/releases/rollback-release";
import { upgradeRelease } from "@/server/domain/releases/upgrade-release";
import { authedProcedure, router } from "../trpc";

const releaseRef = z.object({ releaseId: idSchema });

export const releasesRouter = router({
  list: authedProcedure
    .input(listReleasesQuery)
    .output(z.object({ items: releaseSchema.array(), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) => listReleases({ ctx: ctx.domain, query: input })),
  get: authedProcedure.input(releaseRef).output(releaseSchema).query(({ ctx, input }) => getRelease({ ctx: ctx.domain, releaseId: input.releaseId })),
  revisions: authedProcedure.input(releaseRef).output(revisionSchema.array()).query(({ ctx, input }) => listRevisions({ ctx: ctx.domain, releaseId: input.releaseId })),
  revision: authedProcedure
    .input(releaseRef.extend({ revision: z.number().int().min(1) }))
    .output(revisionSchema)
    .query(({ ctx, input }) => getRevision({ ctx: ctx.domain, releaseId: input.releaseId, revision: input.revision })),
  install: authedProcedure.input(installReleaseInput).output(releaseWithRevision).mutation(({ ctx, input }) => installRelease({ ctx: ctx.domain, input })),
  upgrade: authedProcedure.input(upgradeReleaseInput).output(releaseWithRevision).mutation(({ ctx, input }) => upgradeRelease({ ctx: ctx.domain, input })),
  plan: authedProcedure
    .input(upgradeReleaseInput)
    .output(upgradePlanSchema)
    .query(({ ctx, input: { releaseId, ...input } }) => planUpgrade({ ctx: ctx.domain, releaseId, input })),
  rollback: authedProcedure.input(rollbackReleaseInput).output(releaseWithRevision).mutation(({ ctx, input }) => rollbackRelease({ ctx: ctx.domain, input })),
});
