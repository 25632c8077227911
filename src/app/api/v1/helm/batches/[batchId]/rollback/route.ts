import { z } from "zod";
import { booleanFlag } from "@/contracts/common";
import { batchSubmission } from "@/server/bootstrap/background-work";
import { getBatch } from "@/server/domain/batches/list-batches";
import { submitBatch } from "@/server/domain/batches/submit-batch";
import { batchLocation, interruptedBatchResponse } from "@/server/http/batch-answer";
import { batchIdParams, parseParams } from "@/server/http/params";
import { parseQuery, queryObject } from "@/server/http/parse";
import { onlyPlatformAdmin, route } from "@/server/http/route";

const rollbackQuery = z.object({ async: booleanFlag.default(false) });

/** The rollback is itself a batch: 200 with it once it has ended, or 202 at once with async=true. */
export const POST = route<{ batchId: string }>(async ({ req, ctx, params, url }) => {
  const { batchId } = parseParams(batchIdParams, params);
  const { async } = parseQuery(rollbackQuery, queryObject(url));
  const submitted = await submitBatch({ ctx, request: { kind: "rollback", batchId }, async, ...batchSubmission(req.signal) });
  if (submitted.outcome === "interrupted") return interruptedBatchResponse(submitted);
  return { status: async ? 202 : 200, body: await getBatch({ ctx, batchId: submitted.batch.id }), headers: batchLocation(submitted.batch.id) };
}, { authorize: onlyPlatformAdmin("roll back batches") });
