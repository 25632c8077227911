/** Liveness: the process answers. Touches no database, so a slow database never gets the process restarted. */
export function GET() {
  return new Response('{"status":"ok"}', { headers: { "Content-Type": "application/json", "Cache-Control": "no-store" } });
}
