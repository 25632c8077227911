import { updateRepositoryInput } from "@/contracts/repositories";
import { deleteRepository, getRepository, updateRepository } from "@/server/domain/repositories/manage-repositories";
import { endpoint } from "@/server/http/endpoint";
import { idParams, parseParams } from "@/server/http/params";
import { parseInput } from "@/server/http/parse";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/helm/repositories/{id}", {
  getRepository: async ({ ctx, params }) => ({ body: await getRepository({ ctx, id: parseParams(idParams, params).id }) }),
  updateRepository: async ({ ctx, params, json }) => {
    const { id } = parseParams(idParams, params);
    return { body: await updateRepository({ ctx, id, input: parseInput(updateRepositoryInput, json()) }) };
  },
  deleteRepository: async ({ ctx, params }) => {
    await deleteRepository({ ctx, id: parseParams(idParams, params).id });
    return { status: 204, body: null };
  },
});
