import "server-only";
import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, isNull, lt, or, sql } from "drizzle-orm";
import { LRUCache } from "lru-cache";
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

/** How long an instance trusts what it read about a token: revocation elsewhere takes at most this long. */
export const TOKEN_CACHE_SECONDS = 5;
/** A token's last use is bookkeeping, not a change worth a write per request. */
const LAST_USE_RESOLUTION_MS = 60_000;

interface KnownToken {
  actor: Actor;
  /** When this instance last knew last_used_at to be set (ms), to write it again at most once a minute. */
  lastUsedAt: number;
}

// On globalThis: Next may load this module once per route bundle, and a revocation answered by
// one route must evict the token for every other route of the process.
const globalForTokens = globalThis as unknown as { helmdeckTokens?: LRUCache<string, KnownToken> };
const knownTokens = (globalForTokens.helmdeckTokens ??= new LRUCache<string, KnownToken>({ max: 10_000, ttl: TOKEN_CACHE_SECONDS * 1000 }));

/**
 * The actor behind a bearer token, or null when it is unknown, revoked or expired.
 * The secret is compared as its hash through a unique index, so no secret-dependent
 * comparison happens in JavaScript. A valid token is remembered by its hash for a few
 * seconds (never past its expiry), so most requests need no database round trip and none
 * writes, except the last-use stamp once a minute.
 */
export async function actorFromToken(db: Database, secret: string): Promise<Actor | null> {
  if (secret.length < 16 || secret.length > 512) return null;
  const hash = hashToken(secret);
  let known = knownTokens.get(hash);
  if (!known) {
    const [token] = await db
      .select({ id: apiTokens.id, name: apiTokens.name, role: apiTokens.role, tenantId: apiTokens.tenantId, expiresAt: apiTokens.expiresAt, lastUsedAt: apiTokens.lastUsedAt })
      .from(apiTokens)
      .where(and(eq(apiTokens.tokenHash, hash), isNull(apiTokens.revokedAt), or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, sql`now()`))));
    if (!token) return null;
    known = { actor: { kind: "token", id: token.id, name: `token:${token.name}`, role: token.role, tenantId: token.tenantId }, lastUsedAt: token.lastUsedAt?.getTime() ?? 0 };
    const ttl = token.expiresAt ? Math.min(TOKEN_CACHE_SECONDS * 1000, token.expiresAt.getTime() - Date.now()) : undefined;
    if (ttl === undefined || ttl > 0) knownTokens.set(hash, known, { ttl });
  }
  if (Date.now() - known.lastUsedAt > LAST_USE_RESOLUTION_MS) {
    // Claimed before the write, so concurrent requests do not all write; the condition keeps
    // several instances to one write a minute between them.
    known.lastUsedAt = Date.now();
    await db
      .update(apiTokens)
      .set({ lastUsedAt: sql`now()` })
      .where(and(eq(apiTokens.id, known.actor.id), or(isNull(apiTokens.lastUsedAt), lt(apiTokens.lastUsedAt, sql`now() - interval '60 seconds'`))));
  }
  return known.actor;
}

/** Revocation on this instance takes effect at once; other instances drop the token within TOKEN_CACHE_SECONDS. */
export function forgetToken(tokenHash: string): void {
  knownTokens.delete(tokenHash);
}

/** HELMDECK_BOOTSTRAP_TOKEN: make a platform-admin token with exactly that secret exist. */
export async function ensureBootstrapToken(db: Database, secret: string): Promise<void> {
  await db
    .insert(apiTokens)
    .values({ name: "bootstrap", tokenHash: hashToken(secret), prefix: displayPrefix(secret), role: "platform-admin", tenantId: null, createdBy: "system:bootstrap" })
    .onConflictDoNothing({ target: apiTokens.tokenHash });
}
