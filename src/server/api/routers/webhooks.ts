import { z } from "zod";
import { idSchema } from "@/contracts/common";
import { createdWebhookSchema, createWebhookInput, deliverySchema, listDeliveriesQuery, updateWebhookInput, webhookSchema } from "@/contracts/webhooks";
import { wakeWebhookRunner } from "@/server/bootstrap/background-work";
import { createWebhook, deleteWebhook, getWebhook, listDeliveries, listWebhooks, sendTestEvent, updateWebhook } from "@/server/domain/webhooks/manage-webhooks";
import { authedProcedure, router } from "../trpc";

const byId = z.object({ id: idSchema });

export const webhooksRouter = router({
  list: authedProcedure.output(webhookSchema.array()).query(({ ctx }) => listWebhooks({ ctx: ctx.domain })),
  get: authedProcedure
    .input(byId)
    .output(webhookSchema)
    .query(({ ctx, input }) => getWebhook({ ctx: ctx.domain, webhookId: input.id })),
  create: authedProcedure
    .input(createWebhookInput)
    .output(createdWebhookSchema)
    .mutation(({ ctx, input }) => createWebhook({ ctx: ctx.domain, input })),
  update: authedProcedure
    .input(z.object({ id: idSchema, changes: updateWebhookInput }))
    .output(webhookSchema)
    .mutation(({ ctx, input }) => updateWebhook({ ctx: ctx.domain, webhookId: input.id, input: input.changes })),
  delete: authedProcedure.input(byId).mutation(async ({ ctx, input }) => {
    await deleteWebhook({ ctx: ctx.domain, webhookId: input.id });
  }),
  deliveries: authedProcedure
    .input(listDeliveriesQuery.extend({ id: idSchema }))
    .output(z.object({ items: deliverySchema.array(), nextCursor: z.string().nullable() }))
    .query(({ ctx, input: { id, ...query } }) => listDeliveries({ ctx: ctx.domain, webhookId: id, query })),
  test: authedProcedure
    .input(byId)
    .output(deliverySchema)
    .mutation(async ({ ctx, input }) => {
      const delivery = await sendTestEvent({ ctx: ctx.domain, webhookId: input.id });
      wakeWebhookRunner();
      return delivery;
    }),
});
