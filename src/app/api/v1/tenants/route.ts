import { createTenantInput } from "@/contracts/tenants";
import { createTenant } from "@/server/domain/tenants/create-tenant";
import { listTenants } from "@/server/domain/tenants/list-tenants";
import { parseInput } from "@/server/http/parse";
import { onlyPlatformAdmin, route } from "@/server/http/route";

export const GET = route(async ({ ctx }) => ({ body: await listTenants({ ctx }) }));

export const POST = route(async ({ ctx, json }) => {
  const tenant = await createTenant({ ctx, input: parseInput(createTenantInput, json()) });
  return { status: 201, body: tenant, headers: { Location: `/api/v1/tenants/${tenant.id}` } };
}, { authorize: onlyPlatformAdmin("create tenants") });
