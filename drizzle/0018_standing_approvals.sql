CREATE TABLE "standing_approvals" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"job_hash" text NOT NULL,
	"topic" text NOT NULL,
	"agent" text NOT NULL,
	"granted_by" text NOT NULL,
	"granted_by_user_id" text NOT NULL,
	"source_job_id" text NOT NULL,
	"reason" text NOT NULL,
	"snapshot_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" text
);
--> statement-breakpoint
ALTER TABLE "standing_approvals" ADD CONSTRAINT "standing_approvals_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "standing_approvals_lookup_idx" ON "standing_approvals" USING btree ("tenant_id","agent","job_hash") WHERE "standing_approvals"."revoked_at" is null;