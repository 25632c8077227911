import { z } from "zod";
import { idSchema } from "./common";

export const ENVIRONMENTS = ["development", "staging", "production"] as const;
export const environmentSchema = z.enum(ENVIRONMENTS);

export const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: "must be HH:MM (UTC)" });

/** A weekly window in UTC; end before start means it runs past midnight. */
export const maintenanceWindowSchema = z.object({
  days: z.array(z.enum(DAYS)).min(1).max(7),
  start: clock,
  end: clock,
});
export type MaintenanceWindow = z.infer<typeof maintenanceWindowSchema>;

export const QUANTITY_PATTERN = /^[+]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const quantity = z.string().regex(QUANTITY_PATTERN, { message: 'must be a Kubernetes quantity such as "4", "500m" or "8Gi"' });
export const quotaSchema = z.object({ cpu: quantity.optional(), memory: quantity.optional() });
export type Quota = z.infer<typeof quotaSchema>;

export const slugSchema = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, {
  message: "must be 1-63 lower-case letters, digits or '-', starting and ending with a letter or digit",
});

export const createTenantInput = z.object({
  slug: slugSchema,
  name: z.string().trim().min(1).max(200),
  environment: environmentSchema,
  maintenanceWindow: maintenanceWindowSchema.nullish(),
  quota: quotaSchema.nullish(),
  kubeContext: z.string().min(1).max(200).nullish(),
});
export type CreateTenantInput = z.infer<typeof createTenantInput>;

export const tenantSchema = z.object({
  id: idSchema,
  slug: z.string(),
  name: z.string(),
  environment: environmentSchema,
  maintenanceWindow: maintenanceWindowSchema.nullable(),
  quota: quotaSchema.nullable(),
  kubeContext: z.string().nullable(),
  createdAt: z.string(),
});
export type TenantView = z.infer<typeof tenantSchema>;
