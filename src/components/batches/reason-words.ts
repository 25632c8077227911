import type { BatchReasonCode } from "@/contracts/batches";

/** The server's reason codes in the UI's words, naming the controls of the new-batch form. */
export const REASON_WORDS: Record<BatchReasonCode, string> = {
  "outside-window": "Outside the tenant's maintenance window: tick “Ignore maintenance windows” (under “Values, strategy and options”) in a batch to upgrade it anyway.",
  "values-schema": "The values do not match the chart's values schema.",
  "breaking-changes": "The upgrade has breaking changes: tick “Acknowledge breaking changes” (under “Values, strategy and options”) in a batch to upgrade it.",
};
