-- deadlineOf (lib/services/jobs/state.ts) with no expires_at: a job that rejects on timeout lapses at
-- due_at, and one with no deadline at all never lapses (deadlineOf's null; 'infinity' here, so that
-- "still pending" stays a range of the index). countersign_deadline answered null for both: such a job
-- was neither pending nor lapsed to the queue, the sweeper and the metrics. Now the one SQL spelling of
-- the rule: deadlineOfSql (lib/services/jobs/state-sql.ts) calls it, and jobs_deadline_idx is written on
-- the same call (PostgreSQL inlines it on both sides, so the queries still read the index). Held equal
-- to deadlineOf on generated cases by test/rule-twins.test.ts.
CREATE OR REPLACE FUNCTION countersign_deadline(on_timeout text, due_at timestamptz, expires_at timestamptz) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN on_timeout = 'reject' AND due_at < coalesce(expires_at, 'infinity') THEN due_at ELSE coalesce(expires_at, 'infinity') END
$$;
--> statement-breakpoint
DROP INDEX "jobs_deadline_idx";--> statement-breakpoint
CREATE INDEX "jobs_deadline_idx" ON "jobs" ("tenant_id", countersign_deadline("on_timeout", "due_at", "expires_at"))
  INCLUDE ("created_at", "due_at", "expires_at", "on_timeout", "policy_rule_id")
  WHERE "state" = 'APPROVAL';
