import { DomainError } from "@/server/domain/errors";
import type { Submitted } from "@/server/domain/batches/submit-batch";
import { problemResponse } from "./problem";

export const batchLocation = (batchId: string) => ({ Location: `/api/v1/helm/batches/${batchId}` });

/** A synchronous batch request cut short by a clean stop (or a client gone): 503, and where to follow the batch. */
export function interruptedBatchResponse(submitted: Submitted): Response {
  return problemResponse(
    new DomainError("SERVICE_UNAVAILABLE", `the server is stopping; batch ${submitted.batch.id} goes on (${submitted.batch.status}) and can be followed at its Location`, {
      extensions: { batchId: submitted.batch.id, batchStatus: submitted.batch.status },
    }),
    { ...batchLocation(submitted.batch.id), "Retry-After": "1" },
  );
}
