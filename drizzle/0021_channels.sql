CREATE TABLE "channel_previews" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"kind" text NOT NULL,
	"job_id" text,
	"target" text NOT NULL,
	"body" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "email_links" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"job_id" text NOT NULL,
	"user_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "slack_messages" (
	"tenant_id" text NOT NULL,
	"job_id" text NOT NULL,
	"channel" text NOT NULL,
	"ts" text NOT NULL,
	"shown" text NOT NULL,
	"final" boolean DEFAULT false NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"lease_until" timestamp with time zone,
	"last_error" text,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "slack_messages_tenant_id_job_id_channel_pk" PRIMARY KEY("tenant_id","job_id","channel")
);
--> statement-breakpoint
CREATE TABLE "slack_replays" (
	"signature" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "notification_targets" ADD COLUMN "kind" text DEFAULT 'webhook' NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "slack_user_id" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "email_opt_out" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "email_links" ADD CONSTRAINT "email_links_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "slack_messages" ADD CONSTRAINT "slack_messages_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "channel_previews_tenant_idx" ON "channel_previews" USING btree ("tenant_id","id");--> statement-breakpoint
CREATE INDEX "email_links_job_idx" ON "email_links" USING btree ("tenant_id","job_id");--> statement-breakpoint
CREATE INDEX "slack_messages_open_idx" ON "slack_messages" USING btree ("lease_until") WHERE not "slack_messages"."final";--> statement-breakpoint
CREATE UNIQUE INDEX "users_tenant_slack_uq" ON "users" USING btree ("tenant_id","slack_user_id") WHERE "users"."slack_user_id" is not null;