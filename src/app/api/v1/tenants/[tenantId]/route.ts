import { getTenant } from "@/server/domain/tenants/get-tenant";
import { endpoint } from "@/server/http/endpoint";
import { parseParams, tenantIdParams } from "@/server/http/params";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/tenants/{tenantId}", {
  getTenant: async ({ ctx, params }) => {
    const { tenantId } = parseParams(tenantIdParams, params);
    return { body: await getTenant({ ctx, tenantId }) };
  },
});
