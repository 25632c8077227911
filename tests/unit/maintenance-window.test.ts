import { describe, expect, it } from "vitest";
import { isInsideWindow } from "@/server/domain/tenants/maintenance-window";

// 2026-11-28 is a Saturday.
const at = (iso: string) => new Date(iso);

describe("maintenance windows (UTC)", () => {
  it("no window is always open", () => {
    expect(isInsideWindow(null, at("2026-11-25T12:00:00Z"))).toBe(true);
  });

  it("same-day window: start inclusive, end exclusive, only on its days", () => {
    const w = { days: ["sat" as const], start: "01:00", end: "05:00" };
    expect(isInsideWindow(w, at("2026-11-28T01:00:00Z"))).toBe(true);
    expect(isInsideWindow(w, at("2026-11-28T04:59:00Z"))).toBe(true);
    expect(isInsideWindow(w, at("2026-11-28T05:00:00Z"))).toBe(false);
    expect(isInsideWindow(w, at("2026-11-27T02:00:00Z"))).toBe(false);
  });

  it("a window past midnight belongs to the day it starts", () => {
    const w = { days: ["fri" as const], start: "22:00", end: "02:00" };
    expect(isInsideWindow(w, at("2026-11-27T23:30:00Z"))).toBe(true); // Friday night
    expect(isInsideWindow(w, at("2026-11-28T01:59:00Z"))).toBe(true); // early Saturday
    expect(isInsideWindow(w, at("2026-11-28T23:00:00Z"))).toBe(false); // Saturday night
  });
});
