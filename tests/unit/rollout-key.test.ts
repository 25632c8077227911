import { describe, expect, it } from "vitest";
import { rolloutKey } from "@/server/domain/fleet/find-releases-needing-upgrade";

type Tuple = ["development" | "staging" | "production", string, string, string];
const rank = { development: 0, staging: 1, production: 2 };
const bytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

describe("rollout key", () => {
  it("orders exactly like (environment, tenant slug, release name, namespace) compared byte-wise", () => {
    const labels = ["a", "a-b", "a0", "ab", "b", "a-", "z9", "0"];
    const tuples: Tuple[] = [];
    for (const env of ["production", "development", "staging"] as const)
      for (const slug of labels.slice(0, 5)) for (const name of labels.slice(2)) for (const ns of ["x", "x-y"]) tuples.push([env, slug, name, ns]);
    const byTuple = [...tuples].sort((p, q) => rank[p[0]] - rank[q[0]] || bytes(p[1], q[1]) || bytes(p[2], q[2]) || bytes(p[3], q[3]));
    const byKey = [...tuples].sort((p, q) => bytes(rolloutKey(...p), rolloutKey(...q)));
    expect(byKey).toEqual(byTuple);
  });
});
