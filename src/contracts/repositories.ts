import { z } from "zod";
import { chartName, idSchema } from "./common";

export const MIN_SYNC_INTERVAL_SECONDS = 60;
export const DEFAULT_SYNC_INTERVAL_SECONDS = 600;

/** Named like a chart: lower-case letters, digits, '.', '_' and '-'. */
export const repositoryName = chartName.max(100);

/**
 * An HTTP(S) Helm repository: `<url>/index.yaml` is its index. Credentials in the URL are
 * refused: they would be stored and shown in plain text.
 */
export const repositoryUrl = z
  .string()
  .max(2000)
  .refine((s) => URL.canParse(s) && ["http:", "https:"].includes(new URL(s).protocol), { message: "must be an http:// or https:// URL" })
  .refine((s) => !URL.canParse(s) || (new URL(s).username === "" && new URL(s).password === ""), { message: "must not carry credentials" });

const intervalSeconds = z.number().int().min(MIN_SYNC_INTERVAL_SECONDS).max(7 * 24 * 3600);

export const createRepositoryInput = z.object({
  name: repositoryName,
  url: repositoryUrl,
  intervalSeconds: intervalSeconds.default(DEFAULT_SYNC_INTERVAL_SECONDS),
  enabled: z.boolean().default(true),
});
export type CreateRepositoryInput = z.infer<typeof createRepositoryInput>;

export const updateRepositoryInput = z
  .object({ name: repositoryName, url: repositoryUrl, intervalSeconds, enabled: z.boolean() })
  .partial()
  .refine((v) => Object.keys(v).length > 0, { message: "give at least one of name, url, intervalSeconds, enabled" });
export type UpdateRepositoryInput = z.infer<typeof updateRepositoryInput>;

export const chartRef = z.object({ name: z.string(), version: z.string() });
export const repositorySyncResultSchema = z.object({
  imported: z.array(chartRef),
  unchanged: z.number().int(),
  errors: z.array(chartRef.extend({ message: z.string() })),
});
export type RepositorySyncResult = z.infer<typeof repositorySyncResultSchema>;

export const repositorySchema = z.object({
  id: idSchema,
  name: z.string(),
  url: z.string(),
  intervalSeconds: z.number().int(),
  enabled: z.boolean(),
  lastSyncAt: z.string().nullable(),
  lastError: z.string().nullable(),
  /** What the last sync imported, left unchanged and could not import; null before the first sync. */
  lastResult: repositorySyncResultSchema.nullable(),
  createdAt: z.string(),
});
export type RepositoryView = z.infer<typeof repositorySchema>;
