import { controlBatch } from "@/server/domain/batches/control-batch";
import { batchIdParams, parseParams } from "@/server/http/params";
import { onlyPlatformAdmin, route } from "@/server/http/route";

export const POST = route<{ batchId: string }>(async ({ ctx, params }) => {
  const { batchId } = parseParams(batchIdParams, params);
  return { body: await controlBatch({ ctx, batchId, action: "pause" }) };
}, { authorize: onlyPlatformAdmin("pause batches") });
