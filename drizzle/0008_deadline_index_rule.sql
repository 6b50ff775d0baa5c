-- jobs_deadline_idx (0007) also INCLUDEs policy_rule_id: the Prometheus scrape counts pending jobs per
-- rule, which read one heap row per pending job without it (10k pending: 33 ms → 2-6 ms, index-only).
DROP INDEX "jobs_deadline_idx";--> statement-breakpoint
CREATE INDEX "jobs_deadline_idx" ON "jobs" ("tenant_id",
  (case when "on_timeout" = 'reject' and "due_at" < "expires_at" then "due_at" else "expires_at" end))
  INCLUDE ("created_at", "due_at", "expires_at", "on_timeout", "policy_rule_id")
  WHERE "state" = 'APPROVAL';
