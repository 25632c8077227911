import type { PreviewReasonCode } from "@/contracts/batches";

/** The server's reason codes in the UI's words, naming the controls of the new-batch form. */
export const PREVIEW_REASON_WORDS: Record<PreviewReasonCode, string> = {
  "outside-window": "The tenant's maintenance window is closed: tick “Ignore maintenance windows” (under “Values, strategy and options”) to upgrade it anyway.",
  "values-schema": "The values would not match the chart's values schema.",
  "breaking-changes": "The upgrade has breaking changes: tick “Acknowledge breaking changes” (under “Values, strategy and options”) to upgrade it.",
};
