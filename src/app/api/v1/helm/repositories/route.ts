import { createRepositoryInput } from "@/contracts/repositories";
import { createRepository, listRepositories } from "@/server/domain/repositories/manage-repositories";
import { endpoint } from "@/server/http/endpoint";
import { parseInput } from "@/server/http/parse";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/helm/repositories", {
  listRepositories: async ({ ctx }) => ({ body: await listRepositories({ ctx }) }),
  createRepository: async ({ ctx, json }) => {
    const repository = await createRepository({ ctx, input: parseInput(createRepositoryInput, json()) });
    return { status: 201, body: repository, headers: { Location: `/api/v1/helm/repositories/${repository.id}` } };
  },
});
