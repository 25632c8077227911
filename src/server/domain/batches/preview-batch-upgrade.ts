import { and, eq, inArray } from "drizzle-orm";
import type { BatchPreview, BatchUpgradeInput } from "@/contracts/batches";
import type { ChartChange, JsonObject } from "@/contracts/common";
import type { NeedsUpgradeItem } from "@/contracts/releases";
import type { DbOrTx } from "@/server/db/client";
import { releases, revisions, tenants } from "@/server/db/schema";
import { requestsOf, sumRequests, type Requests } from "../capacity/tenant-capacity";
import type { ChartVersionRow } from "../charts/chart-version-view";
import { requireChartVersion } from "../charts/list-chart-versions";
import type { DomainContext } from "../context";
import { DomainError } from "../errors";
import { findReleasesNeedingUpgrade } from "../fleet/find-releases-needing-upgrade";
import { checksWith, toPlan, versionTestedInDevelopment } from "../releases/plan-upgrade";
import { changesCrossed, enforceBlockingChecks, prepareUpgradeFrom, refusalCode } from "../releases/prepare-upgrade";
import { validateBatchTarget } from "./start-batch-upgrade";

const DEFAULT_PAGE = 100;
/** Releases planned per round of bulk reads while the whole set is counted. */
const COUNT_CHUNK = 500;

type PreviewItem = BatchPreview["items"][number];

/** What a dry run reads once for all releases: the target, the fleet-wide evidence, the changelog per starting version. */
interface PreviewShared {
  chart: ChartVersionRow;
  testedInDevelopment: boolean;
  breaking: Map<string | null, Promise<Array<ChartChange & { version: string }>>>;
  now: Date;
}

/**
 * Plans a page of candidates with three bulk reads (releases with their deployed revisions,
 * and the requests of their tenants' other releases where a quota applies) instead of
 * several queries per release.
 */
async function planPage(db: DbOrTx, candidates: NeedsUpgradeItem[], input: BatchUpgradeInput, shared: PreviewShared, withPlans: boolean): Promise<Array<{ item: PreviewItem; warn: boolean; overQuota: boolean }>> {
  if (candidates.length === 0) return [];
  const rows = await db
    .select({ release: releases, tenant: tenants, deployed: revisions })
    .from(releases)
    .innerJoin(tenants, eq(tenants.id, releases.tenantId))
    .leftJoin(revisions, and(eq(revisions.releaseId, releases.id), eq(revisions.revision, releases.deployedRevision)))
    .where(inArray(releases.id, candidates.map((c) => c.id)));
  const byId = new Map(rows.map((r) => [r.release.id, r]));
  const quotaTenants = [...new Set(rows.filter((r) => r.tenant.quota).map((r) => r.tenant.id))];
  const requestsByTenant = new Map<string, Map<string, Requests>>();
  if (quotaTenants.length > 0) {
    const running = await db
      .select({ tenantId: releases.tenantId, releaseId: releases.id, values: revisions.values })
      .from(releases)
      .innerJoin(revisions, and(eq(revisions.releaseId, releases.id), eq(revisions.revision, releases.deployedRevision)))
      .where(inArray(releases.tenantId, quotaTenants));
    for (const r of running) {
      if (!requestsByTenant.has(r.tenantId)) requestsByTenant.set(r.tenantId, new Map());
      requestsByTenant.get(r.tenantId)!.set(r.releaseId, requestsOf(r.values as JsonObject));
    }
  }
  const options = { ...input, chartVersion: input.targetVersion };
  const planned: Array<{ item: PreviewItem; warn: boolean; overQuota: boolean }> = [];
  for (const candidate of candidates) {
    const row = byId.get(candidate.id);
    if (!row) continue;
    const target = { release: row.release, tenant: row.tenant };
    const from = row.release.chartVersion;
    if (!shared.breaking.has(from)) shared.breaking.set(from, changesCrossed(db, row.release.chartName, from, shared.chart.version));
    const prepared = prepareUpgradeFrom({ target, input: options, chart: shared.chart, deployed: row.deployed, breakingEntries: await shared.breaking.get(from)! });
    const others = requestsByTenant.get(row.tenant.id);
    const otherRequests = others ? sumRequests([...others].filter(([id]) => id !== row.release.id).map(([, r]) => r)) : null;
    const checks = checksWith(target, prepared, { otherRequests, testedInDevelopment: shared.testedInDevelopment }, shared.now);
    let action: PreviewItem["action"] = "upgrade";
    let reason: string | null = null;
    let reasonCode: PreviewItem["reasonCode"] = null;
    try {
      enforceBlockingChecks(prepared, options);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      action = "refuse";
      reason = e.message;
      reasonCode = refusalCode(e);
    }
    const window = checks.find((c) => c.id === "upgrade-window");
    if (action === "upgrade" && window?.status === "warn" && !input.ignoreWindows) {
      action = "skip";
      reason = window.message;
      reasonCode = "outside-window";
    }
    planned.push({
      item: { releaseId: candidate.id, tenantSlug: candidate.tenantSlug, releaseName: candidate.name, namespace: candidate.namespace, fromVersion: candidate.chartVersion, action, reason, reasonCode, plan: withPlans ? toPlan(target, prepared, checks) : null },
      warn: action === "upgrade" && checks.some((c) => c.status === "warn"),
      overQuota: action === "upgrade" && checks.some((c) => c.id === "resources" && c.status !== "pass"),
    });
  }
  return planned;
}

/**
 * The dry run of a batch: for each release it would hold, in rollout order, the upgrade plan
 * and what the batch would do with it (upgrade, skip for the window, or refuse as the
 * upgrade itself would, with 422). Answers one page of items (`limit`, default 100, after
 * `cursor`) and counts over all of them, walking the set a chunk at a time so that memory
 * holds one chunk, never the fleet. Reads only: no batch, revision or audit event.
 */
export async function previewBatchUpgrade({ ctx, input }: { ctx: DomainContext; input: BatchUpgradeInput }): Promise<BatchPreview> {
  await validateBatchTarget(ctx, input);
  const filter = { chartName: input.chartName, targetVersion: input.targetVersion, tenant: input.tenant };
  const chart = await requireChartVersion(ctx.db, input.chartName, input.targetVersion);
  const shared: PreviewShared = { chart, testedInDevelopment: await versionTestedInDevelopment(ctx.db, input.chartName, chart.version), breaking: new Map(), now: new Date() };

  const page = await findReleasesNeedingUpgrade({ ctx, filter, limit: input.limit ?? DEFAULT_PAGE, cursor: input.cursor });
  const items = (await planPage(ctx.db, page.items, input, shared, true)).map((p) => p.item);

  const counts = { total: 0, upgrade: 0, skip: 0, refuse: 0, warn: 0, overQuota: 0 };
  let cursor: string | undefined;
  do {
    const chunk = await findReleasesNeedingUpgrade({ ctx, filter, limit: COUNT_CHUNK, cursor });
    for (const { item, warn, overQuota } of await planPage(ctx.db, chunk.items, input, shared, false)) {
      counts.total += 1;
      counts[item.action] += 1;
      if (warn) counts.warn += 1;
      if (overQuota) counts.overQuota += 1;
    }
    cursor = chunk.nextCursor ?? undefined;
  } while (cursor);

  return { dryRun: true, chartName: input.chartName, targetVersion: input.targetVersion, counts, items, nextCursor: page.nextCursor };
}
