CREATE TABLE "metric_days" (
	"tenant_id" text NOT NULL,
	"group_by" text NOT NULL,
	"day" date NOT NULL,
	"groups" jsonb NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "metric_days_tenant_id_group_by_day_pk" PRIMARY KEY("tenant_id","group_by","day")
);
