import { count } from "drizzle-orm";
import type { Database } from "@/server/db/client";
import { batches } from "@/server/db/schema";

/** Every tenant's batches by status, for the operator's metrics (never shown to a tenant). */
export async function countBatchesByStatus(db: Database): Promise<Array<{ status: string; n: number }>> {
  const rows = await db.select({ status: batches.status, n: count() }).from(batches).groupBy(batches.status);
  return rows.map((r) => ({ status: r.status, n: Number(r.n) }));
}
