CREATE TABLE "rate_limits" (
	"tenant_id" text NOT NULL,
	"subject" text NOT NULL,
	"action" text NOT NULL,
	"tokens" double precision NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "rate_limits_tenant_id_subject_action_pk" PRIMARY KEY("tenant_id","subject","action")
);
--> statement-breakpoint
ALTER TABLE "tokens" ADD COLUMN "submit_per_minute" integer;--> statement-breakpoint
ALTER TABLE "tokens" ADD COLUMN "resolve_per_minute" integer;--> statement-breakpoint
-- Every request updates its bucket in place: leave room on each page for HOT updates.
ALTER TABLE "rate_limits" SET (fillfactor = 50);
