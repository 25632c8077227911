import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull, or, sql } from "drizzle-orm";
import type { Database } from "@/server/db/client";
import { apiTokens } from "@/server/db/schema";
import type { Actor } from "./actor";

const TOKEN_PREFIX = "hd_";

/** Tokens are stored as sha256: a 32-byte random secret needs no slow hash, and lookup stays indexed. */
export const hashToken = (secret: string) => createHash("sha256").update(secret, "utf8").digest("hex");

export function generateTokenSecret(): string {
  return TOKEN_PREFIX + randomBytes(32).toString("base64url");
}

/** What a person sees in a list to recognise a token, never enough to use it. */
export const displayPrefix = (secret: string) => secret.slice(0, TOKEN_PREFIX.length + 6);

/**
 * The actor behind a bearer token, or null when it is unknown, revoked or expired.
 * The secret is compared as its hash through a unique index, so no secret-dependent
 * comparison happens in JavaScript.
 */
export async function actorFromToken(db: Database, secret: string): Promise<Actor | null> {
  if (secret.length < 16 || secret.length > 512) return null;
  const [token] = await db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.tokenHash, hashToken(secret)), isNull(apiTokens.revokedAt), or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, sql`now()`))));
  if (!token) return null;
  // Last use is bookkeeping, not a state change worth a write per request: once a minute is enough.
  if (!token.lastUsedAt || Date.now() - token.lastUsedAt.getTime() > 60_000) {
    await db.update(apiTokens).set({ lastUsedAt: sql`now()` }).where(eq(apiTokens.id, token.id));
  }
  return { kind: "token", id: token.id, name: `token:${token.name}`, role: token.role, tenantId: token.tenantId };
}

/** HELMDECK_BOOTSTRAP_TOKEN: make a platform-admin token with exactly that secret exist. */
export async function ensureBootstrapToken(db: Database, secret: string): Promise<void> {
  await db
    .insert(apiTokens)
    .values({ name: "bootstrap", tokenHash: hashToken(secret), prefix: displayPrefix(secret), role: "platform-admin", tenantId: null, createdBy: "system:bootstrap" })
    .onConflictDoNothing({ target: apiTokens.tokenHash });
}
