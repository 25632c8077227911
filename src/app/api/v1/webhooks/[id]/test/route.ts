import { wakeWebhookRunner } from "@/server/bootstrap/background-work";
import { sendTestEvent } from "@/server/domain/webhooks/manage-webhooks";
import { endpoint } from "@/server/http/endpoint";
import { idParams, parseParams } from "@/server/http/params";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/webhooks/{id}/test", {
  testWebhook: async ({ ctx, params }) => {
    const { id } = parseParams(idParams, params);
    const delivery = await sendTestEvent({ ctx, webhookId: id });
    wakeWebhookRunner();
    return { status: 202, body: delivery };
  },
});
