import { z } from "zod";
import { roleSchema } from "./auth";
import { idSchema } from "./common";

// Kept in step with src/server/auth/password.ts (contracts import zod and constants only).
const MIN_PASSWORD_LENGTH = 8;
const MAX_PASSWORD_LENGTH = 200;

/** E-mail addresses are compared lower-cased: one person, one account, however they type it. */
export const emailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ message: "must be an e-mail address" }))
  .transform((e) => e.toLowerCase());

export const createUserInput = z
  .object({
    email: emailSchema,
    name: z.string().trim().min(1).max(200).optional(),
    /** Omitted: the user can only sign in through single sign-on (OIDC). */
    password: z.string().min(MIN_PASSWORD_LENGTH).max(MAX_PASSWORD_LENGTH).optional(),
    role: roleSchema,
    tenantId: idSchema.nullish(),
  })
  .superRefine((v, ctx) => {
    if (v.role === "tenant-admin" && !v.tenantId) ctx.addIssue({ code: "custom", path: ["tenantId"], message: "a tenant-admin needs a tenantId" });
    if (v.role === "platform-admin" && v.tenantId) ctx.addIssue({ code: "custom", path: ["tenantId"], message: "a platform-admin is not bound to a tenant" });
  });
export type CreateUserInput = z.infer<typeof createUserInput>;

export const userSchema = z.object({
  id: idSchema,
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  tenantId: idSchema.nullable(),
  /** false for users who sign in through single sign-on only. */
  hasPassword: z.boolean(),
  createdAt: z.string(),
  disabledAt: z.string().nullable(),
});
export type UserView = z.infer<typeof userSchema>;

/** The caller, as the UI shows it: `auth.me`. */
export const meSchema = z.object({
  kind: z.enum(["token", "user", "system"]),
  id: z.string(),
  name: z.string(),
  role: roleSchema,
  tenantId: idSchema.nullable(),
  tenantSlug: z.string().nullable(),
});
export type MeView = z.infer<typeof meSchema>;
