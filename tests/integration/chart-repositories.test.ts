import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, it } from "vitest";
import { auditEvents, chartVersions, helmRepositories } from "@/server/db/schema";
import { DomainError } from "@/server/domain/errors";
import { claimRepository } from "@/server/domain/repositories/repository-lease";
import { createRepository, getRepository } from "@/server/domain/repositories/manage-repositories";
import { syncDueRepositories } from "@/server/domain/repositories/sync-due-repositories";
import { syncRepository } from "@/server/domain/repositories/sync-repository";
import { describeEachDatabase, tenantAdminOf } from "../helpers/databases";
import { contextFor, givenTenant, unique } from "../helpers/fixtures";
import { chartArchive, HelmRepositoryServer } from "../helpers/helm-repository-server";

const limits = { connectTimeoutMs: 5_000, totalTimeoutMs: 10_000 };
let repo: HelmRepositoryServer;
beforeAll(async () => {
  repo = await new HelmRepositoryServer().start();
});
afterAll(() => repo.stop());

describeEachDatabase("chart repositories", (getDb) => {
  const givenRepository = async (path: string) => createRepository({ ctx: contextFor(getDb().db), input: { name: unique("repo"), url: `${repo.url}${path}`, intervalSeconds: 600, enabled: true } });

  it("imports every version of the index through the .tgz publish path, relative and absolute URLs alike, and a second sync changes nothing", async () => {
    const { db } = getDb();
    const name = unique("chart");
    const prefix = `/${unique("r")}`;
    repo.publishIndex(prefix, [
      { name, version: "1.0.0", archive: chartArchive(name, "1.0.0") },
      { name, version: "1.1.0", archive: chartArchive(name, "1.1.0", "replicaCount: 2\n"), absolute: true },
    ]);
    const repository = await givenRepository(`${prefix}/`);
    const first = await syncRepository({ ctx: contextFor(db), id: repository.id, limits });
    expect(first).toEqual({ imported: [{ name, version: "1.0.0" }, { name, version: "1.1.0" }], unchanged: 0, errors: [] });
    const stored = await db.select().from(chartVersions).where(eq(chartVersions.name, name));
    expect(stored.map((v) => [v.version, v.source, v.defaultValues])).toEqual(
      expect.arrayContaining([
        ["1.0.0", "archive", { replicaCount: 1 }],
        ["1.1.0", "archive", { replicaCount: 2 }],
      ]),
    );
    const second = await syncRepository({ ctx: contextFor(db), id: repository.id, limits });
    expect(second).toEqual({ imported: [], unchanged: 2, errors: [] });
    const after = await getRepository({ ctx: contextFor(db), id: repository.id });
    expect(after.lastSyncAt).not.toBeNull();
    expect(after.lastError).toBeNull();
    const audit = await db.select().from(auditEvents).where(eq(auditEvents.targetId, repository.id));
    expect(audit.filter((a) => a.action === "repository.sync")).toHaveLength(2);
  });

  it("refuses an archive whose sha256 differs from the index's digest, and imports the rest", async () => {
    const { db } = getDb();
    const name = unique("chart");
    const prefix = `/${unique("r")}`;
    repo.publishIndex(prefix, [
      { name, version: "1.0.0", archive: chartArchive(name, "1.0.0"), digest: "0".repeat(64) },
      { name, version: "2.0.0", archive: chartArchive(name, "2.0.0") },
    ]);
    const repository = await givenRepository(prefix);
    const result = await syncRepository({ ctx: contextFor(db), id: repository.id, limits });
    expect(result.imported).toEqual([{ name, version: "2.0.0" }]);
    expect(result.errors).toEqual([{ name, version: "1.0.0", message: expect.stringContaining("sha256") }]);
    expect((await getRepository({ ctx: contextFor(db), id: repository.id })).lastError).toContain("1.0.0");
    const stored = await db.select().from(chartVersions).where(eq(chartVersions.name, name));
    expect(stored.map((v) => v.version)).toEqual(["2.0.0"]);
  });

  it("never overwrites a known version whose archive changed: an error entry, the first archive kept", async () => {
    const { db } = getDb();
    const name = unique("chart");
    const prefix = `/${unique("r")}`;
    repo.publishIndex(prefix, [{ name, version: "1.0.0", archive: chartArchive(name, "1.0.0") }]);
    const repository = await givenRepository(prefix);
    await syncRepository({ ctx: contextFor(db), id: repository.id, limits });
    repo.publishIndex(prefix, [{ name, version: "1.0.0", archive: chartArchive(name, "1.0.0", "replicaCount: 9\n") }]);
    const result = await syncRepository({ ctx: contextFor(db), id: repository.id, limits });
    expect(result.imported).toEqual([]);
    expect(result.errors).toEqual([{ name, version: "1.0.0", message: expect.stringContaining("immutable") }]);
    const [stored] = await db.select().from(chartVersions).where(eq(chartVersions.name, name));
    expect(stored!.defaultValues).toEqual({ replicaCount: 1 });
  });

  it("follows up to three redirects and gives up after a fourth", async () => {
    const { db } = getDb();
    const name = unique("chart");
    const target = `/${unique("r")}`;
    repo.publishIndex(target, [{ name, version: "1.0.0", archive: chartArchive(name, "1.0.0") }]);
    const hops = (start: string, count: number) => {
      for (let i = 0; i < count; i++) repo.routes.set(`${start}${i}/index.yaml`, { status: 302, headers: { location: i + 1 < count ? `${start}${i + 1}/index.yaml` : `${target}/index.yaml` } });
      return `${start}0`;
    };
    const three = await givenRepository(hops(`/${unique("three")}`, 3));
    const ok = await syncRepository({ ctx: contextFor(db), id: three.id, limits });
    // The archive is relative to the repository URL, which does not move with the redirect.
    expect(ok.errors).toEqual([{ name, version: "1.0.0", message: expect.stringContaining("404") }]);
    const four = await givenRepository(hops(`/${unique("four")}`, 4));
    const refused = await syncRepository({ ctx: contextFor(db), id: four.id, limits });
    expect(refused).toEqual({ imported: [], unchanged: 0, errors: [] });
    expect((await getRepository({ ctx: contextFor(db), id: four.id })).lastError).toContain("more than 3 redirects");
  });

  it("only http and https: a redirect elsewhere is refused", async () => {
    const { db } = getDb();
    const start = `/${unique("ftp")}`;
    repo.routes.set(`${start}/index.yaml`, { status: 301, headers: { location: "file:///etc/passwd" } });
    const repository = await givenRepository(start);
    await syncRepository({ ctx: contextFor(db), id: repository.id, limits });
    expect((await getRepository({ ctx: contextFor(db), id: repository.id })).lastError).toContain("only http and https");
  });

  it("one sync at a time per repository, decided by the database lease; periodic sync takes only due repositories", async () => {
    const { db } = getDb();
    const name = unique("chart");
    const prefix = `/${unique("r")}`;
    repo.publishIndex(prefix, [{ name, version: "1.0.0", archive: chartArchive(name, "1.0.0") }]);
    const repository = await givenRepository(prefix);
    expect(await claimRepository(db, repository.id, "other-instance")).toBeDefined();
    const refused = await syncRepository({ ctx: contextFor(db), id: repository.id, limits }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).code).toBe("CONFLICT");
    await db.update(helmRepositories).set({ leaseOwner: null, leaseUntil: null }).where(eq(helmRepositories.id, repository.id));
    // Other tests' repositories are due too: sync until this one has been.
    while ((await getRepository({ ctx: contextFor(db), id: repository.id })).lastSyncAt === null) {
      expect(await syncDueRepositories({ ctx: contextFor(db), owner: "me", limits })).toBeGreaterThan(0);
    }
    expect((await getRepository({ ctx: contextFor(db), id: repository.id })).lastResult?.imported).toEqual([{ name, version: "1.0.0" }]);
    // Synced just now: not due again for its interval.
    await syncDueRepositories({ ctx: contextFor(db), owner: "me", limits });
    const before = repo.requests.filter((p) => p === `${prefix}/index.yaml`).length;
    await syncDueRepositories({ ctx: contextFor(db), owner: "me", limits });
    expect(repo.requests.filter((p) => p === `${prefix}/index.yaml`).length).toBe(before);
  });

  it("cuts a body at the cap while it streams (no Content-Length to trust), and gives up on a server that never answers", async () => {
    const { db } = getDb();
    const name = unique("chart");
    const prefix = `/${unique("r")}`;
    repo.publishIndex(prefix, [{ name, version: "1.0.0", archive: chartArchive(name, "1.0.0") }]);
    repo.routes.set(`${prefix}/${name}-1.0.0.tgz`, { chunks: Array.from({ length: 64 }, () => Buffer.alloc(1024, 1)) });
    const repository = await givenRepository(prefix);
    const capped = await syncRepository({ ctx: contextFor(db), id: repository.id, limits: { ...limits, maxArchiveBytes: 16 * 1024 } });
    expect(capped.errors).toEqual([{ name, version: "1.0.0", message: expect.stringContaining(`more than ${16 * 1024} bytes`) }]);

    const silent = `/${unique("silent")}`;
    repo.routes.set(`${silent}/index.yaml`, { hang: true });
    const hanging = await givenRepository(silent);
    await syncRepository({ ctx: contextFor(db), id: hanging.id, limits: { connectTimeoutMs: 300, totalTimeoutMs: 5_000 } });
    expect((await getRepository({ ctx: contextFor(db), id: hanging.id })).lastError).toContain("no answer within 300 ms");
  });

  it("only a platform admin manages repositories", async () => {
    const { db } = getDb();
    const tenant = await givenTenant(db);
    const refused = await createRepository({ ctx: contextFor(db, tenantAdminOf(tenant.id)), input: { name: unique("repo"), url: repo.url, intervalSeconds: 600, enabled: true } }).catch((e: unknown) => e);
    expect((refused as DomainError).code).toBe("FORBIDDEN");
  });
});
