-- Batch items learn their tenant, their rank within it and their environment wave.
ALTER TABLE "batch_items" ADD COLUMN "tenant_id" uuid;--> statement-breakpoint
ALTER TABLE "batch_items" ADD COLUMN "tenant_position" integer;--> statement-breakpoint
ALTER TABLE "batch_items" ADD COLUMN "wave" smallint;--> statement-breakpoint
ALTER TABLE "batch_items" ADD COLUMN "target_revision" integer;--> statement-breakpoint
UPDATE "batch_items" i SET "tenant_id" = r."tenant_id", "wave" = CASE t."environment" WHEN 'development' THEN 0 WHEN 'staging' THEN 1 ELSE 2 END
  FROM "releases" r JOIN "tenants" t ON t."id" = r."tenant_id" WHERE r."id" = i."release_id";--> statement-breakpoint
UPDATE "batch_items" i SET "tenant_position" = n."rank"
  FROM (SELECT "batch_id", "position", row_number() OVER (PARTITION BY "batch_id", "tenant_id" ORDER BY "position") AS "rank" FROM "batch_items") n
  WHERE n."batch_id" = i."batch_id" AND n."position" = i."position";--> statement-breakpoint
-- A rollback item restores what the rolled-back batch's item ran before.
UPDATE "batch_items" i SET "target_revision" = o."from_revision"
  FROM "batches" b JOIN "batch_items" o ON o."batch_id" = b."rollback_of"
  WHERE b."id" = i."batch_id" AND b."kind" = 'rollback' AND o."release_id" = i."release_id";--> statement-breakpoint
ALTER TABLE "batch_items" ALTER COLUMN "tenant_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "batch_items" ALTER COLUMN "tenant_position" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "batch_items" ALTER COLUMN "wave" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "batch_items" ADD CONSTRAINT "batch_items_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "batch_items_tenant_idx" ON "batch_items" USING btree ("batch_id","tenant_id","tenant_position");--> statement-breakpoint
CREATE INDEX "batch_items_status_idx" ON "batch_items" USING btree ("batch_id","status","position");--> statement-breakpoint
-- Counters kept with every item change, starting from the items as they are.
ALTER TABLE "batches" ADD COLUMN "event_seq" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "items_total" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "items_pending" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "items_upgraded" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "items_failed" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "items_skipped" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE "batches" b SET
  "items_total" = c."total", "items_pending" = c."pending", "items_upgraded" = c."upgraded", "items_failed" = c."failed", "items_skipped" = c."skipped"
  FROM (SELECT "batch_id", count(*) AS "total",
          count(*) FILTER (WHERE "status" IN ('PENDING', 'RUNNING')) AS "pending",
          count(*) FILTER (WHERE "status" = 'UPGRADED') AS "upgraded",
          count(*) FILTER (WHERE "status" = 'FAILED') AS "failed",
          count(*) FILTER (WHERE "status" IN ('SKIPPED', 'CANCELLED')) AS "skipped"
        FROM "batch_items" GROUP BY "batch_id") c
  WHERE c."batch_id" = b."id";--> statement-breakpoint
-- Events are numbered per batch (1, 2, …) in the order of their old global ids.
ALTER TABLE "batch_events" ADD COLUMN "seq" bigint;--> statement-breakpoint
ALTER TABLE "batch_events" ADD COLUMN "tenant_id" uuid;--> statement-breakpoint
UPDATE "batch_events" e SET "seq" = n."seq"
  FROM (SELECT "id", row_number() OVER (PARTITION BY "batch_id" ORDER BY "id") AS "seq" FROM "batch_events") n
  WHERE n."id" = e."id";--> statement-breakpoint
UPDATE "batch_events" e SET "tenant_id" = r."tenant_id"
  FROM "releases" r WHERE e."payload"->>'type' = 'item' AND r."id"::text = e."payload"->'item'->>'releaseId';--> statement-breakpoint
-- Item events name their 1-based positions inside the item, as the API shows them.
UPDATE "batch_events" e SET "payload" = jsonb_build_object('type', 'item', 'item', (e."payload"->'item') || jsonb_build_object('position', i."position" + 1, 'tenantPosition', i."tenant_position"))
  FROM "batch_items" i WHERE e."payload"->>'type' = 'item' AND i."batch_id" = e."batch_id" AND i."position" = (e."payload"->>'position')::int;--> statement-breakpoint
UPDATE "batches" b SET "event_seq" = m."last" FROM (SELECT "batch_id", max("seq") AS "last" FROM "batch_events" GROUP BY "batch_id") m WHERE m."batch_id" = b."id";--> statement-breakpoint
ALTER TABLE "batch_events" ALTER COLUMN "seq" SET NOT NULL;--> statement-breakpoint
DROP INDEX "batch_events_batch_idx";--> statement-breakpoint
ALTER TABLE "batch_events" DROP COLUMN "id";--> statement-breakpoint
ALTER TABLE "batch_events" ADD CONSTRAINT "batch_events_pkey" PRIMARY KEY("batch_id","seq");--> statement-breakpoint
CREATE INDEX "batch_events_tenant_idx" ON "batch_events" USING btree ("batch_id","tenant_id","seq");
