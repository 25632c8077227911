import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "@/server/auth/password";

describe("password hashing", () => {
  it("stores scrypt$N$r$p$salt$hash with a fresh salt each time and verifies only the right password", async () => {
    const [a, b] = await Promise.all([hashPassword("correct horse"), hashPassword("correct horse")]);
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain("correct horse");
    await expect(verifyPassword("correct horse", a)).resolves.toBe(true);
    await expect(verifyPassword("correct horse!", a)).resolves.toBe(false);
    await expect(verifyPassword("", a)).resolves.toBe(false);
  });

  it("refuses missing, malformed and absurd-cost hashes without throwing", async () => {
    for (const stored of [null, undefined, "", "bcrypt$x", "scrypt$3$8$1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA", "scrypt$1073741824$8$1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"]) {
      await expect(verifyPassword("anything", stored)).resolves.toBe(false);
    }
  });
});
