import { createPolicyInput } from "@/contracts/policies";
import { createPolicy, listPolicies } from "@/server/domain/policies/manage-policies";
import { endpoint } from "@/server/http/endpoint";
import { parseInput } from "@/server/http/parse";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/helm/policies", {
  listPolicies: async ({ ctx }) => ({ body: await listPolicies({ ctx }) }),
  createPolicy: async ({ ctx, json }) => {
    const policy = await createPolicy({ ctx, input: parseInput(createPolicyInput, json()) });
    return { status: 201, body: policy, headers: { Location: `/api/v1/helm/policies/${policy.id}` } };
  },
});
