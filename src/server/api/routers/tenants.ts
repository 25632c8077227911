import { createTenantInput, tenantSchema } from "@/contracts/tenants";
import { createTenant } from "@/server/domain/tenants/create-tenant";
import { listTenants } from "@/server/domain/tenants/list-tenants";
import { authedProcedure, platformAdminProcedure, router } from "../trpc";

export const tenantsRouter = router({
  list: authedProcedure.output(tenantSchema.array()).query(({ ctx }) => listTenants({ ctx: ctx.domain })),
  create: platformAdminProcedure("create tenants").input(createTenantInput).output(tenantSchema).mutation(({ ctx, input }) => createTenant({ ctx: ctx.domain, input })),
});
