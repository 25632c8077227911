import { and, desc, eq } from "drizzle-orm";
import type { ReleaseView, RevisionView } from "@/contracts/releases";
import { revisions } from "@/server/db/schema";
import type { DomainContext } from "../context";
import { notFound } from "../errors";
import { findVisibleRelease } from "./find-release";
import { toReleaseView, toRevisionView } from "./views";

export async function getRelease({ ctx, releaseId }: { ctx: DomainContext; releaseId: string }): Promise<ReleaseView> {
  const { release, tenant } = await findVisibleRelease(ctx.db, ctx.actor, releaseId);
  return toReleaseView({ release, tenantSlug: tenant.slug });
}

/** A release's whole history, newest first. */
export async function listRevisions({ ctx, releaseId }: { ctx: DomainContext; releaseId: string }): Promise<RevisionView[]> {
  await findVisibleRelease(ctx.db, ctx.actor, releaseId);
  const rows = await ctx.db.select().from(revisions).where(eq(revisions.releaseId, releaseId)).orderBy(desc(revisions.revision));
  return rows.map(toRevisionView);
}

export async function getRevision({ ctx, releaseId, revision }: { ctx: DomainContext; releaseId: string; revision: number }): Promise<RevisionView> {
  await findVisibleRelease(ctx.db, ctx.actor, releaseId);
  const [row] = await ctx.db
    .select()
    .from(revisions)
    .where(and(eq(revisions.releaseId, releaseId), eq(revisions.revision, revision)));
  if (!row) throw notFound(`revision ${revision} of release ${releaseId}`);
  return toRevisionView(row);
}
