ALTER TABLE "jobs" ADD COLUMN "expiring_noticed" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- When the sweeper tells the people who can act that a pending job's deadline (countersign_deadline) nears
-- (docs/decisions.md): a fifth of the time from submission to the deadline before it, at most 24 h before;
-- 'infinity' with no deadline. In seconds, so no day length (time zone) enters. Builtins only in the body:
-- PostgreSQL 17 (PGlite) builds indexes with search_path = pg_catalog, so the deadline is an argument.
CREATE OR REPLACE FUNCTION countersign_expiring_at(deadline timestamptz, created_at timestamptz) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN deadline = 'infinity' THEN deadline
    ELSE deadline - make_interval(secs => least(extract(epoch from deadline - created_at) / 5, 86400)) END
$$;
--> statement-breakpoint
-- The sweeper's warnings: pending jobs not yet warned, by when to warn (shrinks as jobs are warned).
CREATE INDEX "jobs_expiring_idx" ON "jobs" (countersign_expiring_at(countersign_deadline("on_timeout", "due_at", "expires_at"), "created_at"))
  WHERE "state" = 'APPROVAL' AND NOT "expiring_noticed";
