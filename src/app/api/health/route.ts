import { ensureReady } from "@/server/bootstrap/ensure-ready";
import { getDatabaseHandle } from "@/server/db/client";

/** Liveness and readiness: answers once migrations and the seed are done. No credentials needed. */
export async function GET() {
  try {
    await ensureReady();
    const { kind } = await getDatabaseHandle();
    return Response.json({ status: "ok", database: kind }, { headers: { "Cache-Control": "no-store" } });
  } catch (e) {
    return Response.json({ status: "unavailable", detail: e instanceof Error ? e.message : String(e) }, { status: 503 });
  }
}
