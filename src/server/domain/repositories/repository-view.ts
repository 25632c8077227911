import type { RepositoryDetail, RepositoryView } from "@/contracts/repositories";
import type { helmRepositories } from "@/server/db/schema";

export type RepositoryRow = typeof helmRepositories.$inferSelect;

export const toRepositoryView = (r: RepositoryRow): RepositoryView => ({
  id: r.id,
  name: r.name,
  url: r.url,
  intervalSeconds: r.intervalSeconds,
  enabled: r.enabled,
  lastSyncAt: r.lastSyncAt?.toISOString() ?? null,
  lastError: r.lastError,
  createdAt: r.createdAt.toISOString(),
});

export const toRepositoryDetail = (r: RepositoryRow): RepositoryDetail => ({ ...toRepositoryView(r), lastResult: r.lastResult ?? null });
