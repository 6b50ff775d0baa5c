-- Pending jobs by their deadline (lib/services/jobs/sql.ts deadlineSql, the same expression). The queue
-- depth counts every pending job of a tenant, and the metrics count those past their deadline as
-- expired: with the columns they read INCLUDEd, both are index-only scans instead of one heap read per
-- pending job (measured on 100k pending: 220-570 ms with a cold heap, 19 ms index-only).
DROP INDEX "jobs_deadline_idx";--> statement-breakpoint
CREATE INDEX "jobs_deadline_idx" ON "jobs" ("tenant_id",
  (case when "on_timeout" = 'reject' and "due_at" < "expires_at" then "due_at" else "expires_at" end))
  INCLUDE ("created_at", "due_at", "expires_at", "on_timeout")
  WHERE "state" = 'APPROVAL';
