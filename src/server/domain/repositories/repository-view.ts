import type { RepositoryView } from "@/contracts/repositories";
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
  lastResult: r.lastResult ?? null,
  createdAt: r.createdAt.toISOString(),
});
