import { describe, expect, it } from "vitest";
import { computeValues, layerValues } from "@/server/domain/values/merge-values";
import { valuesForStrategy } from "@/server/domain/releases/prepare-upgrade";
import type { RevisionRow } from "@/server/domain/releases/views";

describe("Helm merge rules", () => {
  it("merges maps recursively", () => {
    expect(computeValues({ image: { repository: "app", tag: "1" }, replicaCount: 1 }, { image: { tag: "2" } })).toEqual({
      image: { repository: "app", tag: "2" },
      replicaCount: 1,
    });
  });

  it("replaces arrays whole, never concatenates", () => {
    expect(computeValues({ ports: [80, 443], hosts: [{ name: "a" }] }, { ports: [8080] })).toEqual({ ports: [8080], hosts: [{ name: "a" }] });
  });

  it("lets user scalars win, also over a map or an array", () => {
    expect(computeValues({ a: 1, b: { c: 1 }, d: [1] }, { a: "x", b: false, d: 0 })).toEqual({ a: "x", b: false, d: 0 });
  });

  it("removes a key the user sets to null, at any depth", () => {
    expect(computeValues({ image: { tag: "1", pullPolicy: "Always" }, ingress: { enabled: true } }, { image: { pullPolicy: null }, ingress: null })).toEqual({
      image: { tag: "1" },
    });
  });

  it("never leaves a user null in computed values, even under a key the defaults lack", () => {
    expect(computeValues({}, { extra: { keep: 1, drop: null } })).toEqual({ extra: { keep: 1 } });
  });

  it("keeps nulls in user values so a deletion survives later upgrades", () => {
    expect(layerValues({ image: { tag: null } }, { replicaCount: 2 })).toEqual({ image: { tag: null }, replicaCount: 2 });
  });

  it("does not mutate its inputs", () => {
    const defaults = { a: { b: 1 } };
    const user = { a: { c: 2 } };
    computeValues(defaults, user);
    expect(defaults).toEqual({ a: { b: 1 } });
    expect(user).toEqual({ a: { c: 2 } });
  });

  it("the seed's upgrade body: override on top of the new defaults and the release's own values", () => {
    const previous = { userValues: { engine: { queryTimeoutSeconds: 900 } }, values: {} } as unknown as RevisionRow;
    const defaults130 = { replicaCount: 3, image: { repository: "ghcr.io/matih/query-engine", tag: "2.6.0" }, engine: { workers: 8, queryTimeoutSeconds: 300 } };
    const { userValues, values } = valuesForStrategy(
      { valuesStrategy: "reset-then-reuse", valuesOverride: { replicaCount: 4, image: { tag: "2.6.1" } } },
      defaults130,
      previous,
    );
    expect(userValues).toEqual({ engine: { queryTimeoutSeconds: 900 }, replicaCount: 4, image: { tag: "2.6.1" } });
    expect(values).toEqual({ replicaCount: 4, image: { repository: "ghcr.io/matih/query-engine", tag: "2.6.1" }, engine: { workers: 8, queryTimeoutSeconds: 900 } });
  });
});
