-- Time-to-decision reads jobs resolved inside a window: this index holds every column it needs, so
-- a month of a busy tenant is an index-only range scan instead of a pass over the whole table.
CREATE INDEX "jobs_metrics_idx" ON "jobs" ("tenant_id", "resolved_at")
  INCLUDE ("created_at", "due_at", "resolution", "resolved_by", "resolved_reason", "policy_rule_id", "topic")
  WHERE "gated" AND "resolution" IS NOT NULL;
