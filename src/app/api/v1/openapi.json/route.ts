import { openApiDocument } from "@/server/http/openapi";

let cached: string | undefined;

/** Public: the API's description is no secret, and tools fetch it without credentials. */
export function GET() {
  cached ??= JSON.stringify(openApiDocument());
  return new Response(cached, { headers: { "Content-Type": "application/json", "Cache-Control": "public, max-age=300" } });
}
