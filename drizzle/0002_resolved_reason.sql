DROP INDEX "jobs_resolved_idx";--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "resolved_reason" text;