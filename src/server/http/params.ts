import { z } from "zod";
import { booleanFlag, chartName, idSchema, semverString } from "@/contracts/common";
import { parseQuery } from "./parse";

export const releaseIdParams = z.object({ releaseId: idSchema });
export const chartNameParams = z.object({ chartName });
export const revisionParams = z.object({ releaseId: idSchema, revision: z.coerce.number().int().min(1).max(2_147_483_647) });
export const idParams = z.object({ id: idSchema });
export const batchIdParams = z.object({ batchId: idSchema });
export const tenantIdParams = z.object({ tenantId: idSchema });
export const chartVersionParams = z.object({ chartName, version: semverString });

export const upgradePlanQuery = z.object({ targetVersion: semverString });
/** POST upgrade-plan: the target may come from the query when the body leaves it out. */
export const upgradePlanBodyQuery = upgradePlanQuery.partial();
export const asyncQuery = z.object({ async: booleanFlag.default(false) });
/** `Last-Event-ID` (or ?lastEventId=) resumes an event stream after that event. */
export const eventStreamQuery = z.object({ lastEventId: z.coerce.number().int().min(0).optional() });

/** Path segments are part of the URL: a malformed one is 400, never a 500 or a 404. */
export const parseParams = <S extends z.ZodType>(schema: S, params: unknown) => parseQuery(schema, params, "path");
