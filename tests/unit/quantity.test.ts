import { describe, expect, it } from "vitest";
import { formatCpu, formatMemory, parseQuantity } from "@/server/domain/capacity/quantity";
import { quotaExcesses, requestsOf } from "@/server/domain/capacity/tenant-capacity";

describe("Kubernetes quantities", () => {
  it.each([
    ["500m", 0.5],
    ["2", 2],
    ["1.5", 1.5],
    ["100m", 0.1],
    ["512Mi", 512 * 2 ** 20],
    ["1Gi", 2 ** 30],
    ["1G", 1e9],
    ["1k", 1000],
    ["1e3", 1000],
    ["2Ki", 2048],
  ])("%s = %d", (text, value) => {
    expect(parseQuantity(text)).toBeCloseTo(value, 9);
  });

  it.each(["", "abc", "1x", "-1", "1 Gi", "Gi"])("refuses %j", (text) => {
    expect(() => parseQuantity(text)).toThrow();
  });

  it("formats like kubectl", () => {
    expect(formatCpu(4.5)).toBe("4500m");
    expect(formatCpu(3)).toBe("3");
    expect(formatMemory(2 ** 31)).toBe("2Gi");
    expect(formatMemory(1536 * 2 ** 20)).toBe("1.5Gi");
  });
});

describe("tenant capacity", () => {
  it("multiplies requests by replicas, defaulting to one replica", () => {
    expect(requestsOf({ replicaCount: 3, resources: { requests: { cpu: "500m", memory: "1Gi" } } })).toEqual({ cpu: 1.5, memory: 3 * 2 ** 30 });
    expect(requestsOf({ resources: { requests: { cpu: "2" } } })).toEqual({ cpu: 2, memory: 0 });
    expect(requestsOf({})).toEqual({ cpu: 0, memory: 0 });
  });

  it("names the resource and both numbers when over quota; an exact fit passes", () => {
    expect(quotaExcesses({ cpu: 4.5, memory: 2 ** 30 }, { cpu: "4", memory: "1Gi" })).toEqual([{ resource: "cpu", requested: "4500m", quota: "4" }]);
    expect(quotaExcesses({ cpu: 0.1 + 0.2, memory: 0 }, { cpu: "300m" })).toEqual([]);
    expect(quotaExcesses({ cpu: 100, memory: 100 }, null)).toEqual([]);
  });
});
