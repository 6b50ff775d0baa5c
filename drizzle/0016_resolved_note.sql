-- A decision's reason and note are stored once each (resolved_reason, resolved_note); the API's
-- resolved_comment ("reason\nnote", or the reason alone) is derived where it is shown: resolvedComment
-- in lib/services/jobs/render.ts, countersign_resolved_comment here (held equal by test/rule-twins.test.ts).
ALTER TABLE "jobs" ADD COLUMN "resolved_note" text;--> statement-breakpoint
-- The note is what the comment held after the reason and its newline (a cancellation has none).
UPDATE "jobs" SET "resolved_note" = substr("resolved_comment", length("resolved_reason") + 2)
  WHERE "resolved_comment" IS NOT NULL AND "resolved_reason" IS NOT NULL
    AND left("resolved_comment", length("resolved_reason") + 1) = "resolved_reason" || E'\n';--> statement-breakpoint
UPDATE "jobs" SET "resolved_reason" = "resolved_comment" WHERE "resolved_reason" IS NULL AND "resolved_comment" IS NOT NULL;--> statement-breakpoint
CREATE FUNCTION countersign_resolved_comment(reason text, note text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN note IS NULL THEN reason ELSE reason || E'\n' || note END
$$;
--> statement-breakpoint
-- countersign_job_view (drizzle/0009) as it was, but for resolved_comment, derived. The stored views
-- stay as they are: the derived comment is the text they hold.
CREATE OR REPLACE FUNCTION countersign_job_view(j jobs, at_time timestamptz) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT json_build_object(
    'job', json_build_object(
      'id', j.id, 'state', CASE WHEN j.state = 'APPROVAL' AND countersign_deadline(j.on_timeout, j.due_at, j.expires_at) <= at_time THEN 'EXPIRED' ELSE j.state END,
      'topic', j.topic, 'risk_tags', j.risk_tags, 'title', j.title, 'description', j.description,
      'labels', coalesce(j.labels, '{}'::jsonb), 'payload', j.payload,
      'created_at', countersign_iso(j.created_at),
      'updated_at', countersign_iso(CASE WHEN j.state = 'APPROVAL' AND countersign_deadline(j.on_timeout, j.due_at, j.expires_at) <= at_time
                                         THEN countersign_deadline(j.on_timeout, j.due_at, j.expires_at) ELSE j.updated_at END),
      'requested_by', j.requested_by, 'on_behalf_of', j.on_behalf_of, 'callback_url', j.callback_url),
    'decision', upper(j.decision), 'policy_snapshot', j.policy_snapshot, 'policy_rule_id', j.policy_rule_id,
    'policy_reason', j.policy_reason, 'job_hash', j.job_hash, 'approval_required', j.decision = 'require_approval',
    'decision_summary', j.summary,
    'requirements', countersign_requirements(j.requirements, j.tally,
      j.escalated OR coalesce(j.state = 'APPROVAL' AND j.on_timeout = 'escalate' AND j.due_at <= at_time, false)),
    'sla', json_build_object('due_at', countersign_iso(j.due_at), 'expires_at', countersign_iso(j.expires_at),
      'escalated', j.escalated OR coalesce(j.state = 'APPROVAL' AND j.on_timeout = 'escalate' AND j.due_at <= at_time, false)),
    'resolution', CASE WHEN j.state = 'APPROVAL' AND countersign_deadline(j.on_timeout, j.due_at, j.expires_at) <= at_time THEN 'expired' ELSE j.resolution END,
    'resolved_by', CASE WHEN j.state = 'APPROVAL' AND countersign_deadline(j.on_timeout, j.due_at, j.expires_at) <= at_time THEN 'system:sla' ELSE j.resolved_by END,
    'resolved_comment', countersign_resolved_comment(j.resolved_reason, j.resolved_note),
    'resolved_at', countersign_iso(CASE WHEN j.state = 'APPROVAL' AND countersign_deadline(j.on_timeout, j.due_at, j.expires_at) <= at_time
                                        THEN countersign_deadline(j.on_timeout, j.due_at, j.expires_at) ELSE j.resolved_at END),
    'constraints', j.constraints, 'matched_rules', j.matched_rules)::text
$$;
--> statement-breakpoint
ALTER TABLE "jobs" DROP COLUMN "resolved_comment";
