import { z } from "zod";
import { idSchema } from "./common";

export const ROLES = ["platform-admin", "tenant-admin", "viewer"] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

export const createTokenInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    role: roleSchema,
    tenantId: idSchema.nullish(),
    expiresAt: z.iso.datetime({ offset: true }).nullish(),
  })
  .superRefine((v, ctx) => {
    if (v.role === "tenant-admin" && !v.tenantId) ctx.addIssue({ code: "custom", path: ["tenantId"], message: "a tenant-admin token needs a tenantId" });
    if (v.role === "platform-admin" && v.tenantId) ctx.addIssue({ code: "custom", path: ["tenantId"], message: "a platform-admin token is not bound to a tenant" });
  });
export type CreateTokenInput = z.infer<typeof createTokenInput>;

export const tokenSchema = z.object({
  id: idSchema,
  name: z.string(),
  prefix: z.string(),
  role: roleSchema,
  tenantId: idSchema.nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
});
export type TokenView = z.infer<typeof tokenSchema>;

/** The answer to creating a token: the only time its secret is ever shown. */
export const createdTokenSchema = tokenSchema.extend({ token: z.string() });
export type CreatedTokenView = z.infer<typeof createdTokenSchema>;
