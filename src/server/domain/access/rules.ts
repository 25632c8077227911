import { type SQL, eq } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Actor } from "@/server/auth/actor";
import { forbidden } from "../errors";

/**
 * Tenancy lives in the WHERE clause: a row of another tenant is simply not found.
 * Returns undefined for actors that see every tenant.
 */
export function tenantCondition(actor: Actor, tenantColumn: AnyPgColumn): SQL | undefined {
  return actor.tenantId ? eq(tenantColumn, actor.tenantId) : undefined;
}

export function isPlatformAdmin(actor: Actor): boolean {
  return actor.role === "platform-admin";
}

export function requirePlatformAdmin(actor: Actor, action: string): void {
  if (!isPlatformAdmin(actor)) throw forbidden(`only a platform-admin may ${action}`);
}

/** Upgrade, rollback and install: platform admins anywhere, tenant admins in their tenant. */
export function requireReleaseWriter(actor: Actor, action: string): void {
  if (actor.role === "viewer") throw forbidden(`a viewer may not ${action}`);
}

