import { z } from "zod";
import { auditEventSchema, listAuditQuery } from "@/contracts/audit";
import { createdTokenSchema, createTokenInput, tokenSchema } from "@/contracts/auth";
import { idSchema } from "@/contracts/common";
import { listAuditEvents } from "@/server/domain/audit/list-audit-events";
import { createToken, listTokens, revokeToken } from "@/server/domain/tokens/manage-tokens";
import { authedProcedure, platformAdminProcedure, router } from "../trpc";

export const auditRouter = router({
  list: authedProcedure
    .input(listAuditQuery)
    .output(z.object({ items: auditEventSchema.array(), nextCursor: z.string().nullable() }))
    .query(({ ctx, input }) => listAuditEvents({ ctx: ctx.domain, query: input })),
});

export const tokensRouter = router({
  list: authedProcedure.output(tokenSchema.array()).query(({ ctx }) => listTokens({ ctx: ctx.domain })),
  create: platformAdminProcedure("manage API tokens")
    .input(createTokenInput)
    .output(createdTokenSchema)
    .mutation(({ ctx, input }) => createToken({ ctx: ctx.domain, input })),
  revoke: platformAdminProcedure("manage API tokens")
    .input(z.object({ id: idSchema }))
    .output(tokenSchema)
    .mutation(({ ctx, input }) => revokeToken({ ctx: ctx.domain, tokenId: input.id })),
});
