import { wakeBatchRunner } from "@/server/bootstrap/background-work";
import { controlBatch } from "@/server/domain/batches/control-batch";
import { batchIdParams, parseParams } from "@/server/http/params";
import { onlyPlatformAdmin, route } from "@/server/http/route";

export const POST = route<{ batchId: string }>(async ({ ctx, params }) => {
  const { batchId } = parseParams(batchIdParams, params);
  const batch = await controlBatch({ ctx, batchId, action: "resume" });
  wakeBatchRunner();
  return { body: batch };
}, { authorize: onlyPlatformAdmin("resume batches") });
