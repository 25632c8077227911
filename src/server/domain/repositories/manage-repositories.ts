import { desc, eq } from "drizzle-orm";
import type { CreateRepositoryInput, RepositoryView, UpdateRepositoryInput } from "@/contracts/repositories";
import { isUniqueViolation } from "@/server/db/errors";
import { helmRepositories } from "@/server/db/schema";
import { requirePlatformAdmin } from "../access/rules";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { DomainContext } from "../context";
import { DomainError, notFound } from "../errors";
import { toRepositoryView } from "./repository-view";

const MANAGE = "manage chart repositories";
const nameTaken = (name: string) => new DomainError("CONFLICT", `a chart repository named "${name}" already exists`);

export async function listRepositories({ ctx }: { ctx: DomainContext }): Promise<RepositoryView[]> {
  requirePlatformAdmin(ctx.actor, MANAGE);
  const rows = await ctx.db.select().from(helmRepositories).orderBy(desc(helmRepositories.createdAt), desc(helmRepositories.id));
  return rows.map(toRepositoryView);
}

export async function getRepository({ ctx, id }: { ctx: DomainContext; id: string }): Promise<RepositoryView> {
  requirePlatformAdmin(ctx.actor, MANAGE);
  const [row] = await ctx.db.select().from(helmRepositories).where(eq(helmRepositories.id, id));
  if (!row) throw notFound(`chart repository ${id}`);
  return toRepositoryView(row);
}

export async function createRepository({ ctx, input }: { ctx: DomainContext; input: CreateRepositoryInput }): Promise<RepositoryView> {
  requirePlatformAdmin(ctx.actor, MANAGE);
  try {
    return await ctx.db.transaction(async (tx) => {
      const [row] = await tx.insert(helmRepositories).values(input).returning();
      await recordAuditEvent(tx, ctx, { action: "repository.create", targetType: "repository", targetId: row!.id, summary: { name: row!.name, url: row!.url } });
      return toRepositoryView(row!);
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw nameTaken(input.name);
    throw e;
  }
}

export async function updateRepository({ ctx, id, input }: { ctx: DomainContext; id: string; input: UpdateRepositoryInput }): Promise<RepositoryView> {
  requirePlatformAdmin(ctx.actor, MANAGE);
  try {
    return await ctx.db.transaction(async (tx) => {
      const [row] = await tx.update(helmRepositories).set(input).where(eq(helmRepositories.id, id)).returning();
      if (!row) throw notFound(`chart repository ${id}`);
      await recordAuditEvent(tx, ctx, { action: "repository.update", targetType: "repository", targetId: id, summary: { ...input } });
      return toRepositoryView(row);
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw nameTaken(input.name ?? "");
    throw e;
  }
}

/** The charts it imported stay: they are published versions, which releases may run. */
export async function deleteRepository({ ctx, id }: { ctx: DomainContext; id: string }): Promise<void> {
  requirePlatformAdmin(ctx.actor, MANAGE);
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.delete(helmRepositories).where(eq(helmRepositories.id, id)).returning({ name: helmRepositories.name });
    if (!row) throw notFound(`chart repository ${id}`);
    await recordAuditEvent(tx, ctx, { action: "repository.delete", targetType: "repository", targetId: id, summary: { name: row.name } });
  });
}
