import { observeRequest } from "@/server/http/observe-request";

/** Liveness: the process answers. Touches no database, so a slow database never gets the process restarted. */
export function GET(req: Request) {
  return observeRequest(
    req,
    "/api/livez",
    async () => new Response('{"status":"ok"}', { headers: { "Content-Type": "application/json", "Cache-Control": "no-store" } }),
    { quiet: true },
  );
}
