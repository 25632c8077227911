-- Items recorded before the namespace was copied take it from their release (a release never changes namespace).
ALTER TABLE "batch_items" ADD COLUMN "namespace" text;--> statement-breakpoint
UPDATE "batch_items" SET "namespace" = r."namespace" FROM "releases" r WHERE r."id" = "batch_items"."release_id";--> statement-breakpoint
ALTER TABLE "batch_items" ALTER COLUMN "namespace" SET NOT NULL;--> statement-breakpoint
-- Reason codes of items recorded before them, read from the sentences the runner wrote then.
ALTER TABLE "batch_items" ADD COLUMN "reason_code" text;--> statement-breakpoint
UPDATE "batch_items" SET "reason_code" = CASE
  WHEN "status" = 'SKIPPED' AND "error" LIKE 'outside the maintenance window%' THEN 'outside-window'
  WHEN "status" = 'FAILED' AND "error" LIKE 'the values do not match the values schema%' THEN 'values-schema'
  WHEN "status" = 'FAILED' AND "error" LIKE 'this upgrade has breaking changes%' THEN 'breaking-changes'
END
WHERE "error" IS NOT NULL;--> statement-breakpoint
-- Stored item events carry both too, so a replayed stream names and explains releases as a fresh one does.
UPDATE "batch_events" SET "payload" = jsonb_set(jsonb_set("payload", '{item,namespace}', to_jsonb(r."namespace")), '{item,reasonCode}', CASE
    WHEN "payload"->'item'->>'status' = 'SKIPPED' AND "payload"->'item'->>'error' LIKE 'outside the maintenance window%' THEN '"outside-window"'::jsonb
    WHEN "payload"->'item'->>'status' = 'FAILED' AND "payload"->'item'->>'error' LIKE 'the values do not match the values schema%' THEN '"values-schema"'::jsonb
    WHEN "payload"->'item'->>'status' = 'FAILED' AND "payload"->'item'->>'error' LIKE 'this upgrade has breaking changes%' THEN '"breaking-changes"'::jsonb
    ELSE 'null'::jsonb
  END)
FROM "releases" r
WHERE "batch_events"."payload"->>'type' = 'item' AND r."id" = ("batch_events"."payload"->'item'->>'releaseId')::uuid;--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "items_cancelled" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE "batches" SET "items_cancelled" = c.n
FROM (SELECT "batch_id", count(*)::int AS n FROM "batch_items" WHERE "status" = 'CANCELLED' GROUP BY "batch_id") c
WHERE c."batch_id" = "batches"."id";
