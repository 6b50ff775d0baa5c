CREATE TABLE "metric_days" (
	"tenant_id" text NOT NULL,
	"group_by" text NOT NULL,
	"day" date NOT NULL,
	"groups" jsonb NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "metric_days_tenant_id_group_by_day_pk" PRIMARY KEY("tenant_id","group_by","day")
);
--> statement-breakpoint
CREATE TABLE "rate_limits" (
	"tenant_id" text NOT NULL,
	"subject" text NOT NULL,
	"action" text NOT NULL,
	"tokens" double precision NOT NULL,
	"granted" integer NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "rate_limits_tenant_id_subject_action_pk" PRIMARY KEY("tenant_id","subject","action")
);
--> statement-breakpoint
ALTER TABLE "tokens" ADD COLUMN "submit_per_minute" integer;--> statement-breakpoint
ALTER TABLE "tokens" ADD COLUMN "resolve_per_minute" integer;--> statement-breakpoint
-- Every take updates its bucket in place: leave room on each page for HOT updates.
ALTER TABLE "rate_limits" SET (fillfactor = 50);
