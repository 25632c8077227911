import { semverString } from "@/contracts/common";
import { upgradeOptions } from "@/contracts/releases";
import { planUpgrade } from "@/server/domain/releases/plan-upgrade";
import { parseParams, releaseIdParams } from "@/server/http/params";
import { parseInput, parseQuery } from "@/server/http/parse";
import { route } from "@/server/http/route";
import { z } from "zod";

const planQuery = z.object({ targetVersion: semverString });

/** GET ?targetVersion=X plans with no override; POST takes a whole upgrade body. Neither changes anything. */
export const GET = route<{ releaseId: string }>(async ({ ctx, params, url }) => {
  const { releaseId } = parseParams(releaseIdParams, params);
  const { targetVersion } = parseQuery(planQuery, { targetVersion: url.searchParams.get("targetVersion") ?? undefined });
  return { body: await planUpgrade({ ctx, releaseId, input: upgradeOptions.parse({ chartVersion: targetVersion }) }) };
});

export const POST = route<{ releaseId: string }>(async ({ ctx, params, json, url }) => {
  const { releaseId } = parseParams(releaseIdParams, params);
  const body = (json() ?? {}) as Record<string, unknown>;
  const targetVersion = url.searchParams.get("targetVersion");
  const input = parseInput(upgradeOptions, targetVersion && body && typeof body === "object" && !("chartVersion" in body) ? { ...body, chartVersion: targetVersion } : body);
  return { body: await planUpgrade({ ctx, releaseId, input }) };
});
