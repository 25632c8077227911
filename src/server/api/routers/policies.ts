import { z } from "zod";
import { idSchema } from "@/contracts/common";
import { createPolicyInput, policyPreviewSchema, policySchema, updatePolicyInput } from "@/contracts/policies";
import { createPolicy, deletePolicy, getPolicy, listPolicies, updatePolicy } from "@/server/domain/policies/manage-policies";
import { previewPolicy } from "@/server/domain/policies/preview-policy";
import { authedProcedure, router } from "../trpc";

const byId = z.object({ id: idSchema });

/** Roles are the domain's business here: tenant-admins manage their own tenant's policies. */
export const policiesRouter = router({
  list: authedProcedure.output(policySchema.array()).query(({ ctx }) => listPolicies({ ctx: ctx.domain })),
  get: authedProcedure
    .input(byId)
    .output(policySchema)
    .query(({ ctx, input }) => getPolicy({ ctx: ctx.domain, id: input.id })),
  preview: authedProcedure
    .input(byId)
    .output(policyPreviewSchema)
    .query(({ ctx, input }) => previewPolicy({ ctx: ctx.domain, id: input.id })),
  create: authedProcedure
    .input(createPolicyInput)
    .output(policySchema)
    .mutation(({ ctx, input }) => createPolicy({ ctx: ctx.domain, input })),
  update: authedProcedure
    .input(z.object({ id: idSchema, changes: updatePolicyInput }))
    .output(policySchema)
    .mutation(({ ctx, input }) => updatePolicy({ ctx: ctx.domain, id: input.id, input: input.changes })),
  delete: authedProcedure.input(byId).mutation(({ ctx, input }) => deletePolicy({ ctx: ctx.domain, id: input.id })),
});
