import type { BatchPreview, BatchUpgradeInput } from "@/contracts/batches";
import type { DomainContext } from "../context";
import { DomainError } from "../errors";
import { findReleasesNeedingUpgrade } from "../fleet/find-releases-needing-upgrade";
import { findVisibleRelease } from "../releases/find-release";
import { evaluateChecks, toPlan } from "../releases/plan-upgrade";
import { enforceBlockingChecks, prepareUpgrade } from "../releases/prepare-upgrade";
import { validateBatchTarget } from "./start-batch-upgrade";

/**
 * The dry run of a batch: for every release it would hold, in rollout order, the upgrade plan
 * and what the batch would do with it (upgrade, skip for the window, or refuse as the
 * upgrade itself would, with 422). Reads only: no batch, revision or audit event is written.
 */
export async function previewBatchUpgrade({ ctx, input }: { ctx: DomainContext; input: BatchUpgradeInput }): Promise<BatchPreview> {
  await validateBatchTarget(ctx, input);
  const { items: candidates } = await findReleasesNeedingUpgrade({ ctx, filter: { chartName: input.chartName, targetVersion: input.targetVersion, tenant: input.tenant } });
  const now = new Date();
  const options = { ...input, chartVersion: input.targetVersion };
  const items: BatchPreview["items"] = [];
  for (const candidate of candidates) {
    const target = await findVisibleRelease(ctx.db, ctx.actor, candidate.id);
    const prepared = await prepareUpgrade(ctx.db, target, options);
    const plan = toPlan(target, prepared, await evaluateChecks(ctx.db, target, prepared, now));
    let action: "upgrade" | "skip" | "refuse" = "upgrade";
    let reason: string | null = null;
    try {
      enforceBlockingChecks(prepared, options);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      action = "refuse";
      reason = e.message;
    }
    const window = plan.checks.find((c) => c.id === "upgrade-window");
    if (action === "upgrade" && window?.status === "warn" && !input.ignoreWindows) {
      action = "skip";
      reason = window.message;
    }
    items.push({ releaseId: candidate.id, tenantSlug: candidate.tenantSlug, releaseName: candidate.name, namespace: candidate.namespace, fromVersion: candidate.chartVersion, action, reason, plan });
  }
  const tally = (a: string) => items.filter((i) => i.action === a).length;
  return {
    dryRun: true,
    chartName: input.chartName,
    targetVersion: input.targetVersion,
    counts: { total: items.length, upgrade: tally("upgrade"), skip: tally("skip"), refuse: tally("refuse") },
    items,
  };
}
