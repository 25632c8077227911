import { endpoint } from "@/server/http/endpoint";
import { openApiDocument } from "@/server/http/openapi";

let cached: string | undefined;

/** Public: the API's description is no secret, and tools fetch it without credentials. */
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/openapi.json", {
  getOpenApiDocument: async () => {
    cached ??= JSON.stringify(openApiDocument());
    return new Response(cached, { headers: { "Content-Type": "application/json", "Cache-Control": "public, max-age=300" } });
  },
});
