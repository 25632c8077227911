-- Items recorded before the namespace was copied take it from their release (a release never changes namespace).
ALTER TABLE "batch_items" ADD COLUMN "namespace" text;--> statement-breakpoint
UPDATE "batch_items" SET "namespace" = r."namespace" FROM "releases" r WHERE r."id" = "batch_items"."release_id";--> statement-breakpoint
ALTER TABLE "batch_items" ALTER COLUMN "namespace" SET NOT NULL;--> statement-breakpoint
-- Stored item events carry the namespace too, so a replayed stream names releases as a fresh one does.
UPDATE "batch_events" SET "payload" = jsonb_set("payload", '{item,namespace}', to_jsonb(r."namespace"))
FROM "releases" r
WHERE "batch_events"."payload"->>'type' = 'item' AND r."id" = ("batch_events"."payload"->'item'->>'releaseId')::uuid;--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "items_cancelled" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE "batches" SET "items_cancelled" = c.n
FROM (SELECT "batch_id", count(*)::int AS n FROM "batch_items" WHERE "status" = 'CANCELLED' GROUP BY "batch_id") c
WHERE c."batch_id" = "batches"."id";
