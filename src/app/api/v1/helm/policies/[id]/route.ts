import { updatePolicyInput } from "@/contracts/policies";
import { deletePolicy, getPolicy, updatePolicy } from "@/server/domain/policies/manage-policies";
import { endpoint } from "@/server/http/endpoint";
import { idParams, parseParams } from "@/server/http/params";
import { parseInput } from "@/server/http/parse";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/helm/policies/{id}", {
  getPolicy: async ({ ctx, params }) => ({ body: await getPolicy({ ctx, id: parseParams(idParams, params).id }) }),
  updatePolicy: async ({ ctx, params, json }) => {
    const { id } = parseParams(idParams, params);
    return { body: await updatePolicy({ ctx, id, input: parseInput(updatePolicyInput, json()) }) };
  },
  deletePolicy: async ({ ctx, params }) => {
    await deletePolicy({ ctx, id: parseParams(idParams, params).id });
    return { status: 204, body: null };
  },
});
