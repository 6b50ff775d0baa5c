ALTER TABLE "jobs" ADD COLUMN "expiring_noticed" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- When the sweeper tells the people who can act that a pending job's deadline nears (docs/decisions.md):
-- a fifth of the time from submission to the deadline before it, at most 24 h before ('infinity' when
-- the job has no deadline). In seconds, so no day-length (time zone) enters the arithmetic.
CREATE OR REPLACE FUNCTION countersign_expiring_at(on_timeout text, due_at timestamptz, expires_at timestamptz, created_at timestamptz) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN countersign_deadline(on_timeout, due_at, expires_at) = 'infinity' THEN 'infinity'::timestamptz
    ELSE countersign_deadline(on_timeout, due_at, expires_at)
      - make_interval(secs => least(extract(epoch from countersign_deadline(on_timeout, due_at, expires_at) - created_at) / 5, 86400)) END
$$;
--> statement-breakpoint
-- The sweeper's warnings: pending jobs not yet warned, by when to warn (shrinks as jobs are warned).
CREATE INDEX "jobs_expiring_idx" ON "jobs" (countersign_expiring_at("on_timeout", "due_at", "expires_at", "created_at"))
  WHERE "state" = 'APPROVAL' AND NOT "expiring_noticed";
