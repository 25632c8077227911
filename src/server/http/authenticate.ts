import type { Actor } from "@/server/auth/actor";
import { actorFromToken } from "@/server/auth/api-tokens";
import { actorFromSession } from "@/server/auth/session";
import type { Database } from "@/server/db/client";
import { DomainError } from "@/server/domain/errors";
import { setRequestActor } from "@/server/observability/request-context";
import { assertSameOriginForCookie } from "./same-origin";

/**
 * The caller of a REST or tRPC request: a bearer token, else the UI's session cookie.
 * A bearer that is present but wrong is 401 even if a cookie is also sent. A change made
 * with the cookie must come from this site (403 otherwise).
 */
export async function authenticate(db: Database, req: Request): Promise<Actor> {
  const actor = await identify(db, req);
  setRequestActor(actor.name);
  return actor;
}

async function identify(db: Database, req: Request): Promise<Actor> {
  const header = req.headers.get("authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const actor = match ? await actorFromToken(db, match[1]!) : null;
    if (!actor) throw new DomainError("UNAUTHENTICATED", "the bearer token is invalid, expired or revoked");
    return actor;
  }
  const sessionActor = await actorFromSession(db, req);
  if (sessionActor) {
    assertSameOriginForCookie(req);
    return sessionActor;
  }
  throw new DomainError("UNAUTHENTICATED", "send Authorization: Bearer <token> or sign in");
}
