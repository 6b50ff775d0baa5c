CREATE TABLE "audit_events" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "audit_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" text NOT NULL,
	"type" text NOT NULL,
	"actor" text NOT NULL,
	"job_id" text,
	"data" jsonb NOT NULL,
	"created_at" text NOT NULL,
	"seq" bigint,
	"prev_hash" text,
	"hash" text
);
--> statement-breakpoint
CREATE TABLE "audit_heads" (
	"tenant_id" text PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "decisions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "decisions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" text NOT NULL,
	"job_id" text NOT NULL,
	"cause" text NOT NULL,
	"policy_snapshot" text NOT NULL,
	"decision" text NOT NULL,
	"rule_id" text NOT NULL,
	"reason" text NOT NULL,
	"matched_rules" jsonb NOT NULL,
	"requirements" jsonb NOT NULL,
	"constraints" jsonb,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"state" text NOT NULL,
	"topic" text NOT NULL,
	"risk_tags" text[] NOT NULL,
	"payload" jsonb NOT NULL,
	"title" text,
	"description" text,
	"labels" jsonb,
	"callback_url" text,
	"on_behalf_of" text,
	"requested_by" text NOT NULL,
	"submitter_email" text,
	"token_id" text,
	"principal_key" text NOT NULL,
	"job_hash" text NOT NULL,
	"policy_snapshot" text NOT NULL,
	"decision" text NOT NULL,
	"gated" boolean NOT NULL,
	"policy_rule_id" text NOT NULL,
	"policy_reason" text NOT NULL,
	"matched_rules" jsonb NOT NULL,
	"requirements" jsonb NOT NULL,
	"eligible_roles" text[] NOT NULL,
	"constraints" jsonb,
	"summary" jsonb NOT NULL,
	"due_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"on_timeout" text,
	"escalate_to" text[] DEFAULT '{}'::text[] NOT NULL,
	"escalated" boolean DEFAULT false NOT NULL,
	"resolution" text,
	"resolved_by" text,
	"resolved_comment" text,
	"resolved_reason" text,
	"resolved_at" timestamp with time zone,
	"approved_snapshot" text,
	"claimed_at" timestamp with time zone,
	"claimed_by" text,
	"completed_at" timestamp with time zone,
	"outcome_detail" text,
	"idempotency_key" text,
	"request_hash" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "policy_activations" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "policy_activations_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" text NOT NULL,
	"snapshot_id" text NOT NULL,
	"activated_by" text NOT NULL,
	"activated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "policy_snapshots" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"yaml" text NOT NULL,
	"policy" jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tenants" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"active_snapshot_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"scopes" text[] NOT NULL,
	"user_id" text,
	"owner_email" text,
	"token_hash" text NOT NULL,
	"expires_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" text PRIMARY KEY NOT NULL,
	"tenant_id" text NOT NULL,
	"email" text NOT NULL,
	"name" text,
	"roles" text[] DEFAULT '{}'::text[] NOT NULL,
	"password_hash" text,
	"disabled" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "votes" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "votes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" text NOT NULL,
	"job_id" text NOT NULL,
	"user_id" text NOT NULL,
	"user_email" text NOT NULL,
	"vote" text NOT NULL,
	"roles" text[] NOT NULL,
	"reason" text NOT NULL,
	"note" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "jobs" ADD CONSTRAINT "jobs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_activations" ADD CONSTRAINT "policy_activations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_activations" ADD CONSTRAINT "policy_activations_snapshot_id_policy_snapshots_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "public"."policy_snapshots"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "policy_snapshots" ADD CONSTRAINT "policy_snapshots_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tokens" ADD CONSTRAINT "tokens_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tokens" ADD CONSTRAINT "tokens_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "votes" ADD CONSTRAINT "votes_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "votes" ADD CONSTRAINT "votes_job_id_jobs_id_fk" FOREIGN KEY ("job_id") REFERENCES "public"."jobs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "audit_events_tenant_seq_uq" ON "audit_events" USING btree ("tenant_id","seq");--> statement-breakpoint
CREATE INDEX "audit_events_tenant_id_idx" ON "audit_events" USING btree ("tenant_id","id");--> statement-breakpoint
CREATE INDEX "audit_events_job_idx" ON "audit_events" USING btree ("tenant_id","job_id");--> statement-breakpoint
CREATE INDEX "audit_events_type_idx" ON "audit_events" USING btree ("tenant_id","type");--> statement-breakpoint
CREATE INDEX "audit_events_unsealed_idx" ON "audit_events" USING btree ("tenant_id","id") WHERE "audit_events"."hash" is null;--> statement-breakpoint
CREATE INDEX "decisions_job_idx" ON "decisions" USING btree ("job_id");--> statement-breakpoint
CREATE INDEX "jobs_queue_idx" ON "jobs" USING btree ("tenant_id","due_at","created_at","id") WHERE "jobs"."state" = 'APPROVAL';--> statement-breakpoint
CREATE INDEX "jobs_history_idx" ON "jobs" USING btree ("tenant_id","created_at","id") WHERE "jobs"."gated";--> statement-breakpoint
CREATE INDEX "jobs_tenant_state_idx" ON "jobs" USING btree ("tenant_id","state");--> statement-breakpoint
CREATE INDEX "jobs_tenant_topic_idx" ON "jobs" USING btree ("tenant_id","topic","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_idempotency_uq" ON "jobs" USING btree ("tenant_id","principal_key","idempotency_key");--> statement-breakpoint
CREATE INDEX "policy_activations_tenant_idx" ON "policy_activations" USING btree ("tenant_id","activated_at");--> statement-breakpoint
CREATE INDEX "policy_snapshots_tenant_idx" ON "policy_snapshots" USING btree ("tenant_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "tokens_hash_uq" ON "tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "tokens_tenant_idx" ON "tokens" USING btree ("tenant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_tenant_email_uq" ON "users" USING btree ("tenant_id","email");--> statement-breakpoint
CREATE UNIQUE INDEX "votes_job_user_uq" ON "votes" USING btree ("job_id","user_id");--> statement-breakpoint
CREATE INDEX "votes_tenant_user_idx" ON "votes" USING btree ("tenant_id","user_id");