CREATE TABLE "tenants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"slug" text NOT NULL,
	"name" text NOT NULL,
	"environment" text NOT NULL,
	"maintenance_window" jsonb,
	"quota" jsonb,
	"kube_context" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenants_slug_unique" UNIQUE("slug"),
	CONSTRAINT "tenants_environment_check" CHECK ("tenants"."environment" in ('development', 'staging', 'production')),
	CONSTRAINT "tenants_slug_check" CHECK ("tenants"."slug" ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$')
);
--> statement-breakpoint
CREATE TABLE "chart_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"version" text NOT NULL,
	"version_sort" text COLLATE "C" NOT NULL,
	"app_version" text NOT NULL,
	"default_values" json NOT NULL,
	"values_schema" json,
	"changes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"deprecated" boolean DEFAULT false NOT NULL,
	"source" text DEFAULT 'json' NOT NULL,
	"digest" text,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "chart_versions_name_version_key" UNIQUE("name","version")
);
--> statement-breakpoint
CREATE TABLE "releases" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"namespace" text NOT NULL,
	"chart_name" text NOT NULL,
	"status" text NOT NULL,
	"latest_revision" integer NOT NULL,
	"deployed_revision" integer,
	"chart_version" text,
	"version_sort" text COLLATE "C",
	"app_version" text,
	"pending_revision" integer,
	"lease_expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "releases_tenant_namespace_name_key" UNIQUE("tenant_id","namespace","name"),
	CONSTRAINT "releases_status_check" CHECK ("releases"."status" in ('PENDING_INSTALL', 'PENDING_UPGRADE', 'PENDING_ROLLBACK', 'DEPLOYED', 'SUPERSEDED', 'FAILED', 'UNINSTALLED')),
	CONSTRAINT "releases_lease_check" CHECK (("releases"."pending_revision" is null) = ("releases"."lease_expires_at" is null))
);
--> statement-breakpoint
CREATE TABLE "revisions" (
	"release_id" uuid NOT NULL,
	"revision" integer NOT NULL,
	"previous_revision" integer GENERATED ALWAYS AS (case when revision > 1 then revision - 1 end) STORED,
	"chart_version" text NOT NULL,
	"app_version" text NOT NULL,
	"values_override" json NOT NULL,
	"user_values" json NOT NULL,
	"values" json NOT NULL,
	"status" text NOT NULL,
	"operation" text NOT NULL,
	"description" text NOT NULL,
	"error" text,
	"actor" text NOT NULL,
	"batch_id" uuid,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "revisions_pkey" PRIMARY KEY("release_id","revision"),
	CONSTRAINT "revisions_revision_check" CHECK ("revisions"."revision" >= 1),
	CONSTRAINT "revisions_status_check" CHECK ("revisions"."status" in ('PENDING_INSTALL', 'PENDING_UPGRADE', 'PENDING_ROLLBACK', 'DEPLOYED', 'SUPERSEDED', 'FAILED', 'UNINSTALLED')),
	CONSTRAINT "revisions_operation_check" CHECK ("revisions"."operation" in ('install', 'upgrade', 'rollback'))
);
--> statement-breakpoint
CREATE TABLE "batch_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "batch_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"batch_id" uuid NOT NULL,
	"payload" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "batch_items" (
	"batch_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"release_id" uuid NOT NULL,
	"tenant_slug" text NOT NULL,
	"release_name" text NOT NULL,
	"from_version" text,
	"from_revision" integer,
	"status" text NOT NULL,
	"revision" integer,
	"error" text,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "batch_items_pkey" PRIMARY KEY("batch_id","position"),
	CONSTRAINT "batch_items_batch_release_key" UNIQUE("batch_id","release_id"),
	CONSTRAINT "batch_items_status_check" CHECK ("batch_items"."status" in ('PENDING', 'RUNNING', 'UPGRADED', 'FAILED', 'SKIPPED', 'CANCELLED'))
);
--> statement-breakpoint
CREATE TABLE "batches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"chart_name" text NOT NULL,
	"target_version" text NOT NULL,
	"status" text NOT NULL,
	"options" jsonb NOT NULL,
	"rollback_of" uuid,
	"tenant_id" uuid,
	"created_by" text NOT NULL,
	"runner_id" text,
	"runner_lease_expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "batches_status_check" CHECK ("batches"."status" in ('QUEUED', 'RUNNING', 'PAUSED', 'SUCCEEDED', 'PARTIALLY_FAILED', 'FAILED', 'CANCELLED')),
	CONSTRAINT "batches_kind_check" CHECK ("batches"."kind" in ('upgrade', 'rollback'))
);
--> statement-breakpoint
CREATE TABLE "api_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"prefix" text NOT NULL,
	"role" text NOT NULL,
	"tenant_id" uuid,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone,
	CONSTRAINT "api_tokens_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "api_tokens_role_check" CHECK ("api_tokens"."role" in ('platform-admin', 'tenant-admin', 'viewer')),
	CONSTRAINT "api_tokens_tenant_check" CHECK (("api_tokens"."role" = 'platform-admin' and "api_tokens"."tenant_id" is null) or "api_tokens"."role" = 'viewer' or ("api_tokens"."role" = 'tenant-admin' and "api_tokens"."tenant_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "login_attempts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"succeeded" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"password_hash" text,
	"role" text NOT NULL,
	"tenant_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"disabled_at" timestamp with time zone,
	CONSTRAINT "users_email_unique" UNIQUE("email"),
	CONSTRAINT "users_role_check" CHECK ("users"."role" in ('platform-admin', 'tenant-admin', 'viewer')),
	CONSTRAINT "users_tenant_check" CHECK (("users"."role" = 'platform-admin' and "users"."tenant_id" is null) or "users"."role" = 'viewer' or ("users"."role" = 'tenant-admin' and "users"."tenant_id" is not null))
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"actor" text NOT NULL,
	"actor_role" text NOT NULL,
	"tenant_id" uuid,
	"action" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" text,
	"release_id" uuid,
	"revision" integer,
	"summary" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"request_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "idempotency_keys" (
	"caller" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"status_code" integer,
	"response" jsonb,
	"headers" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY("caller","key")
);
--> statement-breakpoint
CREATE TABLE "settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "releases" ADD CONSTRAINT "releases_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revisions" ADD CONSTRAINT "revisions_release_id_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."releases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "revisions" ADD CONSTRAINT "revisions_previous_fkey" FOREIGN KEY ("release_id","previous_revision") REFERENCES "public"."revisions"("release_id","revision") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_events" ADD CONSTRAINT "batch_events_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_items" ADD CONSTRAINT "batch_items_batch_id_batches_id_fk" FOREIGN KEY ("batch_id") REFERENCES "public"."batches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_items" ADD CONSTRAINT "batch_items_release_id_releases_id_fk" FOREIGN KEY ("release_id") REFERENCES "public"."releases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batches" ADD CONSTRAINT "batches_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "chart_versions_name_sort_idx" ON "chart_versions" USING btree ("name","version_sort");--> statement-breakpoint
CREATE INDEX "releases_chart_version_idx" ON "releases" USING btree ("chart_name","version_sort");--> statement-breakpoint
CREATE INDEX "releases_created_idx" ON "releases" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "releases_tenant_created_idx" ON "releases" USING btree ("tenant_id","created_at","id");--> statement-breakpoint
CREATE INDEX "releases_pending_idx" ON "releases" USING btree ("lease_expires_at") WHERE "releases"."pending_revision" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "revisions_one_deployed_idx" ON "revisions" USING btree ("release_id") WHERE "revisions"."status" = 'DEPLOYED';--> statement-breakpoint
CREATE INDEX "revisions_deployed_chart_idx" ON "revisions" USING btree ("chart_version") WHERE "revisions"."status" = 'DEPLOYED';--> statement-breakpoint
CREATE INDEX "batch_events_batch_idx" ON "batch_events" USING btree ("batch_id","id");--> statement-breakpoint
CREATE INDEX "batches_created_idx" ON "batches" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "batches_runnable_idx" ON "batches" USING btree ("status") WHERE "batches"."status" in ('QUEUED', 'RUNNING');--> statement-breakpoint
CREATE INDEX "login_attempts_email_idx" ON "login_attempts" USING btree ("email","created_at");--> statement-breakpoint
CREATE INDEX "audit_events_tenant_idx" ON "audit_events" USING btree ("tenant_id","id");--> statement-breakpoint
CREATE INDEX "audit_events_release_idx" ON "audit_events" USING btree ("release_id","id");