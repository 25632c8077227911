import type { Database } from "@/server/db/client";
import type { Actor } from "./actor";

/**
 * The actor of a signed-in UI session. Sessions arrive with the identity work (issue 4);
 * until then only bearer tokens authenticate.
 */
export async function actorFromSession(_db: Database, _req: Request): Promise<Actor | null> {
  return null;
}
