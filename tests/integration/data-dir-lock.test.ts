import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openPglite } from "@/server/db/client";

describe("embedded data dir lock", () => {
  it("repairs a lock left by a process that was killed, and releases it on close", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "helmdeck-lock-"));
    writeFileSync(path.join(dir, "helmdeck.lock"), "2147483646");
    const handle = await openPglite(dir);
    expect(readFileSync(path.join(dir, "helmdeck.lock"), "utf8")).toBe(String(process.pid));
    await handle.close();
    expect(existsSync(path.join(dir, "helmdeck.lock"))).toBe(false);
  });

  it("refuses, in plain words, a data dir another live process holds", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "helmdeck-lock-"));
    const other = spawn("sleep", ["30"]);
    try {
      writeFileSync(path.join(dir, "helmdeck.lock"), String(other.pid));
      await expect(openPglite(dir)).rejects.toThrow(/in use by another Helmdeck process \(pid \d+\)/);
    } finally {
      other.kill();
    }
  });
});
