import { upgradeOptions } from "@/contracts/releases";
import { planUpgrade } from "@/server/domain/releases/plan-upgrade";
import { endpoint } from "@/server/http/endpoint";
import { parseParams, releaseIdParams, upgradePlanBodyQuery, upgradePlanQuery } from "@/server/http/params";
import { parseInput, parseQuery, queryObject } from "@/server/http/parse";

/** GET ?targetVersion=X plans with no override; POST takes a whole upgrade body. Neither changes anything. */
export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/helm/releases/{releaseId}/upgrade-plan", {
  planUpgrade: async ({ ctx, params, url }) => {
    const { releaseId } = parseParams(releaseIdParams, params);
    const { targetVersion } = parseQuery(upgradePlanQuery, queryObject(url));
    return { body: await planUpgrade({ ctx, releaseId, input: upgradeOptions.parse({ chartVersion: targetVersion }) }) };
  },
  planUpgradeWithBody: async ({ ctx, params, json, url }) => {
    const { releaseId } = parseParams(releaseIdParams, params);
    const { targetVersion } = parseQuery(upgradePlanBodyQuery, queryObject(url));
    const body = json() ?? {};
    const bodyIsObject = typeof body === "object" && body !== null && !Array.isArray(body);
    const input = parseInput(upgradeOptions, targetVersion && bodyIsObject && !("chartVersion" in body) ? { ...body, chartVersion: targetVersion } : body);
    return { body: await planUpgrade({ ctx, releaseId, input }) };
  },
});
