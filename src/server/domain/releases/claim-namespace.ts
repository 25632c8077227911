import { and, eq, ne, sql } from "drizzle-orm";
import type { Transaction } from "@/server/db/client";
import { namespaceClaims, releases, tenants } from "@/server/db/schema";
import { DomainError } from "../errors";

/**
 * Makes (kube context, namespace) the tenant's, inside the install's transaction, or refuses
 * with 409 when another tenant has it. The claim's primary key settles two tenants racing for
 * a new namespace; releases installed before claims existed count as their tenant's claim.
 */
export async function claimNamespace(tx: Transaction, claim: { kubeContext: string | null; namespace: string; tenantId: string }): Promise<void> {
  const kubeContext = claim.kubeContext ?? "";
  await tx.insert(namespaceClaims).values({ kubeContext, namespace: claim.namespace, tenantId: claim.tenantId }).onConflictDoNothing();
  const [owner] = await tx
    .select({ tenantId: namespaceClaims.tenantId })
    .from(namespaceClaims)
    .where(and(eq(namespaceClaims.kubeContext, kubeContext), eq(namespaceClaims.namespace, claim.namespace)));
  const [earlier] = await tx
    .select({ id: releases.id })
    .from(releases)
    .innerJoin(tenants, eq(tenants.id, releases.tenantId))
    .where(and(eq(releases.namespace, claim.namespace), sql`coalesce(${tenants.kubeContext}, '') = ${kubeContext}`, ne(releases.tenantId, claim.tenantId)))
    .limit(1);
  if (owner?.tenantId !== claim.tenantId || earlier) {
    // Which tenant holds it is not said: that would be a detail of another tenant.
    throw new DomainError("CONFLICT", `namespace ${claim.namespace} on kube context ${kubeContext || "(default)"} belongs to another tenant`);
  }
}
