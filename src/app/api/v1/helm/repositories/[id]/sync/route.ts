import { syncRepository } from "@/server/domain/repositories/sync-repository";
import { endpoint } from "@/server/http/endpoint";
import { idParams, parseParams } from "@/server/http/params";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/helm/repositories/{id}/sync", {
  syncRepository: async ({ ctx, params }) => ({ body: await syncRepository({ ctx, id: parseParams(idParams, params).id }) }),
});
