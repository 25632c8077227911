import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { env } from "@/env";
import type { Database } from "@/server/db/client";
import { settings } from "@/server/db/schema";

const SETTING_KEY = "nextauth-secret";
const globalForSecret = globalThis as unknown as { helmdeckAuthSecret?: string };

/**
 * The key that signs and encrypts session cookies. NEXTAUTH_SECRET when set; otherwise one
 * random secret per installation, kept in the settings table so that `npm start` needs no
 * configuration, sessions survive restarts, and every instance on one PostgreSQL agrees.
 */
export async function loadAuthSecret(db: Database): Promise<string> {
  const configured = env().NEXTAUTH_SECRET;
  if (configured) return (globalForSecret.helmdeckAuthSecret = configured);
  await db
    .insert(settings)
    .values({ key: SETTING_KEY, value: { secret: randomBytes(32).toString("base64url") } })
    .onConflictDoNothing();
  const [row] = await db.select().from(settings).where(eq(settings.key, SETTING_KEY));
  const secret = (row?.value as { secret?: unknown } | undefined)?.secret;
  if (typeof secret !== "string" || secret.length < 16) throw new Error(`settings.${SETTING_KEY} is corrupt; delete the row to make a new one`);
  return (globalForSecret.helmdeckAuthSecret = secret);
}

/** The secret loaded at start-up (ensureReady); undefined before. */
export const authSecret = (): string | undefined => globalForSecret.helmdeckAuthSecret;
