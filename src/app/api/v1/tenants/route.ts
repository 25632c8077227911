import { createTenantInput } from "@/contracts/tenants";
import { createTenant } from "@/server/domain/tenants/create-tenant";
import { listTenants } from "@/server/domain/tenants/list-tenants";
import { endpoint } from "@/server/http/endpoint";
import { parseInput } from "@/server/http/parse";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/tenants", {
  listTenants: async ({ ctx }) => ({ body: await listTenants({ ctx }) }),
  createTenant: async ({ ctx, json }) => {
    const tenant = await createTenant({ ctx, input: parseInput(createTenantInput, json()) });
    return { status: 201, body: tenant, headers: { Location: `/api/v1/tenants/${tenant.id}` } };
  },
});
