import { and, asc, eq } from "drizzle-orm";
import { POLICY_PREVIEW_RELEASES, type PolicyPreview } from "@/contracts/policies";
import { releases, tenants } from "@/server/db/schema";
import type { DomainContext } from "../context";
import { releaseViewFields, toReleaseView } from "../releases/views";
import { findVisiblePolicy } from "./manage-policies";
import { belowTarget, releasesByWindow } from "./policy-releases";
import { findPolicyTarget } from "./policy-target";

/** What the policy would upgrade at `now`, without changing anything: the first releases in rollout order, counts over all. */
export async function previewPolicy({ ctx, id, now = new Date() }: { ctx: DomainContext; id: string; now?: Date }): Promise<PolicyPreview> {
  const policy = await findVisiblePolicy(ctx, id);
  const targetVersion = await findPolicyTarget(ctx.db, policy);
  if (!targetVersion) return { targetVersion: null, counts: { total: 0, inWindow: 0, outsideWindow: 0 }, releases: [] };
  const conditions = belowTarget(policy, targetVersion);
  const { total, inWindow, outsideWindow } = await releasesByWindow(ctx.db, conditions, now);
  const rows = await ctx.db
    .select({ release: releaseViewFields, tenantSlug: tenants.slug })
    .from(releases)
    .innerJoin(tenants, eq(tenants.id, releases.tenantId))
    .where(and(...conditions))
    .orderBy(asc(releases.rolloutKey), asc(releases.id))
    .limit(POLICY_PREVIEW_RELEASES);
  return { targetVersion, counts: { total, inWindow, outsideWindow }, releases: rows.map(toReleaseView) };
}
