import { updateWebhookInput } from "@/contracts/webhooks";
import { deleteWebhook, getWebhook, updateWebhook } from "@/server/domain/webhooks/manage-webhooks";
import { endpoint } from "@/server/http/endpoint";
import { idParams, parseParams } from "@/server/http/params";
import { parseInput } from "@/server/http/parse";

export const { GET, POST, PUT, PATCH, DELETE, OPTIONS } = endpoint("/webhooks/{id}", {
  getWebhook: async ({ ctx, params }) => {
    const { id } = parseParams(idParams, params);
    return { body: await getWebhook({ ctx, webhookId: id }) };
  },
  updateWebhook: async ({ ctx, params, json }) => {
    const { id } = parseParams(idParams, params);
    return { body: await updateWebhook({ ctx, webhookId: id, input: parseInput(updateWebhookInput, json()) }) };
  },
  deleteWebhook: async ({ ctx, params }) => {
    const { id } = parseParams(idParams, params);
    await deleteWebhook({ ctx, webhookId: id });
    return { status: 204, body: null };
  },
});
