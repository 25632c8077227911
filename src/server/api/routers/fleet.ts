import { z } from "zod";
import { chartName } from "@/contracts/common";
import { needsUpgradeItem, needsUpgradeQuery } from "@/contracts/releases";
import { countReleasesByVersion } from "@/server/domain/fleet/count-releases-by-version";
import { findReleasesNeedingUpgrade } from "@/server/domain/fleet/find-releases-needing-upgrade";
import { authedProcedure, router } from "../trpc";

export const fleetRouter = router({
  versions: authedProcedure
    .input(z.object({ chartName }))
    .output(z.record(z.string(), z.number()))
    .query(({ ctx, input }) => countReleasesByVersion({ ctx: ctx.domain, chartName: input.chartName })),
  needsUpgrade: authedProcedure
    .input(needsUpgradeQuery.extend({ chartName }))
    .output(z.object({ items: needsUpgradeItem.array(), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) =>
      findReleasesNeedingUpgrade({
        ctx: ctx.domain,
        filter: { chartName: input.chartName, targetVersion: input.targetVersion, tenant: input.tenant },
        limit: input.limit,
        cursor: input.cursor,
      }),
    ),
});
