ALTER TABLE "releases" ADD COLUMN "rollout_key" text COLLATE "C" DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX "releases_chart_rollout_idx" ON "releases" USING btree ("chart_name","rollout_key","id");--> statement-breakpoint
UPDATE "releases" SET "rollout_key" = (CASE t."environment" WHEN 'development' THEN '0' WHEN 'staging' THEN '1' ELSE '2' END) || ' ' || t."slug" || ' ' || "releases"."name" || ' ' || "releases"."namespace" FROM "tenants" t WHERE t."id" = "releases"."tenant_id";
