import { z } from "zod";
import { chartName, idSchema } from "@/contracts/common";
import { parseQuery } from "./parse";

export const releaseIdParams = z.object({ releaseId: idSchema });
export const chartNameParams = z.object({ chartName });
export const revisionParams = z.object({ releaseId: idSchema, revision: z.coerce.number().int().min(1).max(2_147_483_647) });
export const idParams = z.object({ id: idSchema });
export const batchIdParams = z.object({ batchId: idSchema });

/** Path segments are part of the URL: a malformed one is 400, never a 500 or a 404. */
export const parseParams = <S extends z.ZodType>(schema: S, params: unknown) => parseQuery(schema, params, "path");
