import { desc, eq, sql } from "drizzle-orm";
import type { CreatedTokenView, CreateTokenInput, TokenView } from "@/contracts/auth";
import { displayPrefix, forgetToken, generateTokenSecret, hashToken } from "@/server/auth/api-tokens";
import { apiTokens, tenants } from "@/server/db/schema";
import { requirePlatformAdmin } from "../access/rules";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { DomainContext } from "../context";
import { DomainError, notFound } from "../errors";

type TokenRow = typeof apiTokens.$inferSelect;

const toTokenView = (t: TokenRow): TokenView => ({
  id: t.id,
  name: t.name,
  prefix: t.prefix,
  role: t.role,
  tenantId: t.tenantId,
  createdBy: t.createdBy,
  createdAt: t.createdAt.toISOString(),
  expiresAt: t.expiresAt?.toISOString() ?? null,
  revokedAt: t.revokedAt?.toISOString() ?? null,
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
});

export async function listTokens({ ctx }: { ctx: DomainContext }): Promise<TokenView[]> {
  requirePlatformAdmin(ctx.actor, "manage API tokens");
  const rows = await ctx.db.select().from(apiTokens).orderBy(desc(apiTokens.createdAt), desc(apiTokens.id));
  return rows.map(toTokenView);
}

/** One token's description (never its secret); like the list, for platform admins only. */
export async function getToken({ ctx, tokenId }: { ctx: DomainContext; tokenId: string }): Promise<TokenView> {
  requirePlatformAdmin(ctx.actor, "manage API tokens");
  const [row] = await ctx.db.select().from(apiTokens).where(eq(apiTokens.id, tokenId));
  if (!row) throw notFound(`token ${tokenId}`);
  return toTokenView(row);
}

/** The secret is in this answer and nowhere else, ever. */
export async function createToken({ ctx, input }: { ctx: DomainContext; input: CreateTokenInput }): Promise<CreatedTokenView> {
  requirePlatformAdmin(ctx.actor, "manage API tokens");
  if (input.expiresAt && new Date(input.expiresAt).getTime() <= Date.now()) {
    throw new DomainError("VALIDATION_FAILED", "expiresAt is in the past", { errors: [{ path: "expiresAt", message: "must be in the future" }] });
  }
  const secret = generateTokenSecret();
  return ctx.db.transaction(async (tx) => {
    if (input.tenantId) {
      const [tenant] = await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, input.tenantId));
      if (!tenant) throw new DomainError("VALIDATION_FAILED", "unknown tenant", { errors: [{ path: "tenantId", message: "no such tenant" }] });
    }
    const [row] = await tx
      .insert(apiTokens)
      .values({
        name: input.name,
        tokenHash: hashToken(secret),
        prefix: displayPrefix(secret),
        role: input.role,
        tenantId: input.tenantId ?? null,
        createdBy: ctx.actor.name,
        expiresAt: input.expiresAt ? new Date(input.expiresAt) : null,
      })
      .returning();
    await recordAuditEvent(tx, ctx, {
      action: "token.create",
      targetType: "token",
      targetId: row!.id,
      tenantId: row!.tenantId,
      summary: { name: row!.name, role: row!.role, prefix: row!.prefix },
    });
    return { ...toTokenView(row!), token: secret };
  });
}

export async function revokeToken({ ctx, tokenId }: { ctx: DomainContext; tokenId: string }): Promise<TokenView> {
  requirePlatformAdmin(ctx.actor, "manage API tokens");
  const revoked = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiTokens)
      .set({ revokedAt: sql`coalesce(${apiTokens.revokedAt}, now())` })
      .where(eq(apiTokens.id, tokenId))
      .returning();
    if (!row) throw notFound(`token ${tokenId}`);
    await recordAuditEvent(tx, ctx, { action: "token.revoke", targetType: "token", targetId: row.id, tenantId: row.tenantId, summary: { name: row.name, prefix: row.prefix } });
    return row;
  });
  forgetToken(revoked.tokenHash);
  return toTokenView(revoked);
}
