CREATE TABLE "budget_uses" (
	"tenant_id" text NOT NULL,
	"rule_id" text NOT NULL,
	"scope" text NOT NULL,
	"job_id" text NOT NULL,
	"amount" numeric NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	CONSTRAINT "budget_uses_job_id_rule_id_pk" PRIMARY KEY("job_id","rule_id")
);
--> statement-breakpoint
ALTER TABLE "budget_uses" ADD CONSTRAINT "budget_uses_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "budget_uses_window_idx" ON "budget_uses" USING btree ("tenant_id","rule_id","scope","created_at");--> statement-breakpoint
CREATE INDEX "decisions_shadow_idx" ON "decisions" USING btree ("tenant_id","created_at") WHERE "decisions"."cause" = 'submit' and "decisions"."matched_rules" @> '[{"shadow": true}]';