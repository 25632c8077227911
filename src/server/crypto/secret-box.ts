import "server-only";
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { decodeKey, env } from "@/env";
import type { DbOrTx } from "@/server/db/client";
import { settings } from "@/server/db/schema";

const SETTING_KEY = "encryption-key";
const VERSION = "v1";
// Per database handle (a transaction is its own entry, gone with it): a key is a fact of the database it is stored in.
const keys = new WeakMap<DbOrTx, Promise<Buffer>>();

async function loadKey(db: DbOrTx): Promise<Buffer> {
  const configured = env().HELMDECK_ENCRYPTION_KEY;
  if (configured) return decodeKey(configured)!;
  // Like the session secret: one random key per installation, so that `npm start` needs no
  // configuration and every instance on one PostgreSQL agrees. It protects secrets in a copy
  // of the secrets' table, not in a copy of the whole database: production sets the variable.
  await db
    .insert(settings)
    .values({ key: SETTING_KEY, value: { key: randomBytes(32).toString("base64") } })
    .onConflictDoNothing();
  const [row] = await db.select().from(settings).where(eq(settings.key, SETTING_KEY));
  const stored = (row?.value as { key?: unknown } | undefined)?.key;
  const key = typeof stored === "string" ? decodeKey(stored) : null;
  if (!key) throw new Error(`settings.${SETTING_KEY} is corrupt; secrets sealed with it cannot be read`);
  return key;
}

function keyOf(db: DbOrTx): Promise<Buffer> {
  let key = keys.get(db);
  if (!key) {
    key = loadKey(db).catch((e) => {
      keys.delete(db);
      throw e;
    });
    keys.set(db, key);
  }
  return key;
}

/** Which key sealed a value, so that a wrong or rotated key is reported as such, not as garbage. */
const keyId = (key: Buffer) => createHash("sha256").update(key).digest("base64url").slice(0, 8);

/**
 * Secrets at rest (webhook signing secrets, repository credentials): AES-256-GCM, so a
 * sealed value cannot be altered unnoticed. Sealed form: v1.<keyId>.<iv>.<tag>.<ciphertext>.
 */
export async function sealSecret(db: DbOrTx, plaintext: string): Promise<string> {
  const key = await keyOf(db);
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return [VERSION, keyId(key), iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".");
}

export async function openSecret(db: DbOrTx, sealed: string): Promise<string> {
  const key = await keyOf(db);
  const [version, id, iv, tag, body] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || body === undefined) throw new Error("not a sealed secret");
  if (id !== keyId(key)) throw new Error("this secret was sealed with another encryption key (HELMDECK_ENCRYPTION_KEY changed?)");
  const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]).toString("utf8");
}
