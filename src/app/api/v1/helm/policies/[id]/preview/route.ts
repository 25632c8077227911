import { previewPolicy } from "@/server/domain/policies/preview-policy";
import { endpoint } from "@/server/http/endpoint";
import { idParams, parseParams } from "@/server/http/params";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/helm/policies/{id}/preview", {
  previewPolicy: async ({ ctx, params }) => ({ body: await previewPolicy({ ctx, id: parseParams(idParams, params).id }) }),
});
