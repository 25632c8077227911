import { TRPCClientError } from "@trpc/client";
import { describe, expect, it } from "vitest";
import { createHelmdeckClient } from "@/client";
import { adminToken, api, baseUrl } from "../helpers/http";

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

  it("subscribes to a batch's events with the bearer token until the batch ends, and says why it cannot", async () => {
    const chartName = `trpc-subscribe-${Date.now().toString(36)}`;
    for (const version of ["1.0.0", "1.1.0"]) expect((await api("POST", "/helm/charts", { body: { name: chartName, version, appVersion: version } })).status).toBe(201);
    const tenant = await api("POST", "/tenants", { body: { slug: chartName, name: chartName, environment: "development" } });
    expect((await api("POST", "/helm/releases", { body: { tenantId: tenant.body.id, name: "subscribed", namespace: "trpc", chartName, chartVersion: "1.0.0" } })).status).toBe(201);

    const client = createHelmdeckClient({ url: baseUrl(), token: adminToken() });
    const batch = await client.batches.start.mutate({ chartName, targetVersion: "1.1.0", async: true });
    const events = await new Promise<string[]>((resolve, reject) => {
      const seen: string[] = [];
      client.batches.events.subscribe(
        { batchId: batch.id },
        { onData: ({ data }) => seen.push(data.type === "batch" ? data.batch.status : data.type), onError: reject, onComplete: () => resolve(seen) },
      );
    });
    expect(events[0]).toBe("snapshot");
    expect(events.at(-1)).toBe("SUCCEEDED");

    const missing = await new Promise<unknown>((resolve) => {
      client.batches.events.subscribe({ batchId: "00000000-0000-4000-8000-000000000000" }, { onError: resolve, onComplete: () => resolve("completed") });
    });
    expect((missing as TRPCClientError<any>).data?.code).toBe("NOT_FOUND");
  });
});
