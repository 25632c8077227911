import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { createHelmdeckClient } from "@/client";
import { adminToken, baseUrl } from "../helpers/http";

describe("tRPC with the typed client", () => {
  it("answers the same data as REST with the same bearer token", async () => {
    const client = createHelmdeckClient({ url: baseUrl(), token: adminToken() });
    const versions = await client.fleet.versions.query({ chartName: "matih-query-engine" });
    const rest = await (await fetch(`${baseUrl()}/api/v1/helm/releases/chart/matih-query-engine/versions`, { headers: { Authorization: `Bearer ${adminToken()}` } })).json();
    expect(versions).toEqual(rest);
    const page = await client.releases.list.query({ chart: "matih-query-engine", limit: 3 });
    expect(page.items).toHaveLength(3);
    expect(page.nextCursor).toEqual(expect.any(String));
  });

  it("refuses a missing or wrong token as UNAUTHORIZED and invalid input as BAD_REQUEST with field errors", async () => {
    const anonymous = createHelmdeckClient({ url: baseUrl(), token: "hd_not_a_real_token_000000" });
    const denied = await anonymous.tenants.list.query().catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(TRPCClientError);
    expect((denied as TRPCClientError<any>).data?.code).toBe("UNAUTHORIZED");

    const client = createHelmdeckClient({ url: baseUrl(), token: adminToken() });
    const bad = await client.releases.upgrade.mutate({ releaseId: "00000000-0000-4000-8000-000000000000", chartVersion: "not-semver" } as never).catch((e: unknown) => e);
    expect((bad as TRPCClientError<any>).data?.code).toBe("BAD_REQUEST");
    const missing = await client.releases.get.query({ releaseId: "00000000-0000-4000-8000-000000000000" }).catch((e: unknown) => e);
    expect((missing as TRPCClientError<any>).data?.code).toBe("NOT_FOUND");
  });
});
