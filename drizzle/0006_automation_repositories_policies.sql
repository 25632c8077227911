CREATE TABLE "helm_repositories" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"url" text NOT NULL,
	"interval_seconds" integer DEFAULT 600 NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"last_sync_at" timestamp with time zone,
	"last_error" text,
	"last_result" jsonb,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "helm_repositories_name_unique" UNIQUE("name"),
	CONSTRAINT "helm_repositories_interval_check" CHECK ("helm_repositories"."interval_seconds" >= 60)
);
--> statement-breakpoint
CREATE TABLE "upgrade_policies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"chart_name" text NOT NULL,
	"tenant_id" uuid,
	"range" text NOT NULL,
	"include_prerelease" boolean DEFAULT false NOT NULL,
	"mode" text DEFAULT 'auto' NOT NULL,
	"canary" integer,
	"max_failures" integer,
	"concurrency" integer DEFAULT 1 NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_evaluated_at" timestamp with time zone,
	"last_batch_id" uuid,
	"last_notified_version" text,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	CONSTRAINT "upgrade_policies_mode_check" CHECK ("upgrade_policies"."mode" in ('auto', 'notify')),
	CONSTRAINT "upgrade_policies_concurrency_check" CHECK ("upgrade_policies"."concurrency" between 1 and 32)
);
--> statement-breakpoint
ALTER TABLE "batches" ADD COLUMN "policy_id" uuid;--> statement-breakpoint
ALTER TABLE "upgrade_policies" ADD CONSTRAINT "upgrade_policies_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "upgrade_policies_tenant_chart_key" ON "upgrade_policies" USING btree ("chart_name","tenant_id") WHERE "upgrade_policies"."tenant_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "upgrade_policies_fleet_chart_key" ON "upgrade_policies" USING btree ("chart_name") WHERE "upgrade_policies"."tenant_id" is null;--> statement-breakpoint
CREATE INDEX "upgrade_policies_tenant_idx" ON "upgrade_policies" USING btree ("tenant_id");--> statement-breakpoint
ALTER TABLE "batches" ADD CONSTRAINT "batches_policy_id_upgrade_policies_id_fk" FOREIGN KEY ("policy_id") REFERENCES "public"."upgrade_policies"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "batches_policy_unfinished_key" ON "batches" USING btree ("policy_id") WHERE "batches"."policy_id" is not null and "batches"."status" in ('QUEUED', 'RUNNING', 'PAUSED');