import { isDeepStrictEqual } from "node:util";
import { and, eq } from "drizzle-orm";
import type { ChartVersionDetail, PublishChartInput } from "@/contracts/charts";
import { pipelined } from "@/server/db/pipeline";
import { chartVersions } from "@/server/db/schema";
import { requirePlatformAdmin } from "../access/rules";
import { recordAuditEvent } from "../audit/record-audit-event";
import type { DomainContext } from "../context";
import { DomainError, invalid } from "../errors";
import { evaluateAfterPublish } from "../policies/evaluate-policies";
import { assertUsableSchema } from "../values/validate-values";
import { semverSortKey } from "../versions/semver";
import { emitWebhookEvent } from "../webhooks/emit-webhook-event";
import { toChartVersionDetail, type ChartVersionRow } from "./chart-version-view";

const publishedContent = (c: Pick<ChartVersionRow, "appVersion" | "defaultValues" | "valuesSchema" | "changes" | "deprecated">) => ({
  appVersion: c.appVersion,
  defaultValues: c.defaultValues,
  valuesSchema: c.valuesSchema ?? null,
  changes: c.changes,
  deprecated: c.deprecated,
});

export type PublishResult = { chartVersion: ChartVersionDetail; created: boolean };

/**
 * Chart versions are immutable: publishing the same name and version again is accepted
 * only when the content is identical (created: false), else it is a conflict. A new
 * version is offered to the chart's upgrade policies once its transaction has committed.
 */
export async function publishChartVersion({
  ctx,
  input,
  source = { kind: "json" },
  evaluatePolicies = true,
}: {
  ctx: DomainContext;
  input: PublishChartInput;
  source?: { kind: "json" } | { kind: "archive"; digest: string };
  /** False when the caller publishes several versions and offers them to the policies once, at the end (a repository sync). */
  evaluatePolicies?: boolean;
}): Promise<PublishResult> {
  requirePlatformAdmin(ctx.actor, "publish charts");
  if (input.valuesSchema) {
    const problem = assertUsableSchema(input.valuesSchema);
    if (problem) throw invalid([{ path: "valuesSchema", message: `not a usable JSON Schema: ${problem}` }]);
  }
  const content = {
    appVersion: input.appVersion,
    defaultValues: input.defaultValues,
    valuesSchema: input.valuesSchema ?? null,
    changes: input.changes,
    deprecated: input.deprecated,
  };
  const result = await ctx.db.transaction(async (tx): Promise<PublishResult> => {
    const [inserted] = await tx
      .insert(chartVersions)
      .values({
        name: input.name,
        version: input.version,
        versionSort: semverSortKey(input.version),
        ...content,
        source: source.kind,
        digest: source.kind === "archive" ? source.digest : null,
        createdBy: ctx.actor.name,
      })
      .onConflictDoNothing({ target: [chartVersions.name, chartVersions.version] })
      .returning();
    if (inserted) {
      await pipelined([
        () =>
          recordAuditEvent(tx, ctx, {
            action: "chart.publish",
            targetType: "chart-version",
            targetId: `${input.name}@${input.version}`,
            summary: { name: input.name, version: input.version, appVersion: input.appVersion, source: source.kind },
          }),
        // The catalog is shared: every tenant may read it, so tenant webhooks may hear of it too.
        () =>
          emitWebhookEvent(tx, {
            type: "chart.published",
            tenantId: "every-tenant",
            data: { chartName: input.name, version: input.version, appVersion: input.appVersion, deprecated: input.deprecated ?? false, source: source.kind },
          }),
      ]);
      return { chartVersion: toChartVersionDetail(inserted), created: true };
    }
    const [existing] = await tx
      .select()
      .from(chartVersions)
      .where(and(eq(chartVersions.name, input.name), eq(chartVersions.version, input.version)));
    if (existing && isDeepStrictEqual(publishedContent(existing), content)) {
      return { chartVersion: toChartVersionDetail(existing), created: false };
    }
    throw new DomainError("CONFLICT", `chart ${input.name} version ${input.version} is already published with different content; chart versions are immutable`);
  });
  if (result.created && evaluatePolicies) await evaluateAfterPublish(ctx.db, input.name, ctx.requestId);
  return result;
}
