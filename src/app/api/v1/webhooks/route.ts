import { createWebhookInput } from "@/contracts/webhooks";
import { createWebhook, listWebhooks } from "@/server/domain/webhooks/manage-webhooks";
import { endpoint } from "@/server/http/endpoint";
import { parseInput } from "@/server/http/parse";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/webhooks", {
  listWebhooks: async ({ ctx }) => ({ body: await listWebhooks({ ctx }) }),
  createWebhook: async ({ ctx, json }) => {
    const webhook = await createWebhook({ ctx, input: parseInput(createWebhookInput, json()) });
    // A generated secret is shown once: a replay answers the webhook without it.
    const { secret: _shownOnce, ...withoutSecret } = webhook;
    return { status: 201, body: webhook, replayBody: withoutSecret, headers: { Location: `/api/v1/webhooks/${webhook.id}` } };
  },
});
