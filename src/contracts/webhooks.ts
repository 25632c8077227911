import { z } from "zod";
import { idSchema, pageQuery } from "./common";
import { slugSchema } from "./tenants";

export const WEBHOOK_EVENTS = [
  "batch.started",
  "batch.paused",
  "batch.finished",
  "release.upgraded",
  "release.failed",
  "release.rolled-back",
  "chart.published",
  "policy.upgrade-available",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENTS)[number];
/** What POST /webhooks/:id/test sends: never subscribed to, always delivered to the one webhook. */
export const WEBHOOK_TEST_EVENT = "webhook.test";

export const DELIVERY_STATUSES = ["PENDING", "DELIVERED", "FAILED"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

const webhookUrl = z.url({ protocol: /^https?$/, message: "must be an http:// or https:// URL" }).max(2000);
const eventList = z
  .array(z.enum(WEBHOOK_EVENTS))
  .min(1)
  .max(WEBHOOK_EVENTS.length * 2)
  .transform((events) => [...new Set(events)]);
/** Long enough that guessing it is hopeless; the receiver keeps it to check signatures. */
const secret = z.string().min(16).max(256);

export const createWebhookInput = z.object({
  url: webhookUrl,
  events: eventList,
  secret: secret.optional(),
  /** Platform-admins only: the tenant whose events it receives (absent: every tenant's). A tenant-admin's webhook is always its own tenant's. */
  tenant: slugSchema.optional(),
  enabled: z.boolean().default(true),
});
export type CreateWebhookInput = z.infer<typeof createWebhookInput>;

export const updateWebhookInput = z
  .object({ url: webhookUrl, events: eventList, secret, enabled: z.boolean() })
  .partial()
  .refine((v) => Object.values(v).some((x) => x !== undefined), { message: "give at least one of url, events, secret, enabled" });
export type UpdateWebhookInput = z.infer<typeof updateWebhookInput>;

export const webhookSchema = z.object({
  id: idSchema,
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENTS)),
  /** The tenant slug whose events it receives; null: every tenant's (platform webhook). */
  tenant: z.string().nullable(),
  enabled: z.boolean(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type WebhookView = z.infer<typeof webhookSchema>;

/** The answer to creating a webhook: a secret Helmdeck generated is shown here once; one the caller gave is never echoed. */
export const createdWebhookSchema = webhookSchema.extend({ secret: z.string().optional() });
export type CreatedWebhookView = z.infer<typeof createdWebhookSchema>;

export const deliverySchema = z.object({
  id: z.number().int(),
  event: z.string(),
  /** The event's id (the body's `id`), the same in every delivery of one event to one audience. */
  eventId: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  responseStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  nextAttemptAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
});
export type DeliveryView = z.infer<typeof deliverySchema>;

export const listDeliveriesQuery = pageQuery;
export type ListDeliveriesQuery = z.infer<typeof listDeliveriesQuery>;

/** What a receiver gets: the body of every POST. */
export const webhookEnvelope = z.object({ id: z.string(), type: z.string(), createdAt: z.string(), data: z.record(z.string(), z.unknown()) });
export type WebhookEnvelope = z.infer<typeof webhookEnvelope>;
