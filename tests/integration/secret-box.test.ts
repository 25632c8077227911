import { expect, it } from "vitest";
import { openSecret, sealSecret } from "@/server/crypto/secret-box";
import { settings } from "@/server/db/schema";
import { describeEachDatabase } from "../helpers/databases";

describeEachDatabase("secrets at rest", (getDb) => {
  it("seals with a per-installation key kept in the database, never as plain text, and detects tampering", async () => {
    const { db } = getDb();
    const sealed = await sealSecret(db, "webhook-signing-secret");
    expect(sealed).not.toContain("webhook-signing-secret");
    expect(await sealSecret(db, "webhook-signing-secret")).not.toBe(sealed);
    expect(await openSecret(db, sealed)).toBe("webhook-signing-secret");
    const rows = await db.select().from(settings);
    expect(rows.map((r) => r.key)).toContain("encryption-key");
    const parts = sealed.split(".");
    parts[4] = Buffer.from("tampered").toString("base64url");
    await expect(openSecret(db, parts.join("."))).rejects.toThrow();
  });
});
