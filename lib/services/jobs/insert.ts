import type { RawQuery } from "@/lib/db/client";
import type { JobRow } from "@/lib/db/schema";
import type { Evaluation } from "@/lib/policy/types";
import { stampEvent } from "@/lib/services/audit/mac";
import { JOB_CHANNEL, type JobChange } from "@/lib/services/events";
import { notificationBody } from "@/lib/services/outbox/notify";

/**
 * Submission in one statement (one round trip, its own transaction): lock the tenant row FOR KEY SHARE
 * and insert the job only if the policy it was evaluated under is still the active one, then its
 * decision-log entry, its audit event and, if it waits for people, the queue notification.
 *
 * The tenant lock pairs with a policy activation's FOR UPDATE: either this job commits first (and the
 * activation re-decides it) or it sees the new snapshot and inserts nothing, so the caller evaluates
 * again. The unique (tenant, submitter, Idempotency-Key) index settles racing retries the same way.
 */
const SUBMIT_SQL = `
with tenant as (
  select active_snapshot_id from tenants where id = $1 for key share
), job as (
  insert into jobs (
    id, tenant_id, state, topic, risk_tags, payload, title, description, labels, callback_url, on_behalf_of,
    requested_by, submitter_email, token_id, principal_key, job_hash, policy_snapshot, decision, gated,
    policy_rule_id, policy_reason, matched_rules, requirements, eligible_roles, constraints, summary,
    due_at, expires_at, on_timeout, escalate_to, escalated, approved_snapshot, idempotency_key, request_hash,
    created_at, updated_at)
  select
    $2, $1, $3, $4, $5::text[], $6::jsonb, $7, $8, $9::jsonb, $10, $11,
    $12, $13, $14, $15, $16, $17, $18, $19,
    $20, $21, $22::jsonb, $23::jsonb, $24::text[], $25::jsonb, $26::jsonb,
    $27::timestamptz, $28::timestamptz, $29, $30::text[], false, $31, $32, $33,
    $34::timestamptz, $34::timestamptz
  from tenant where tenant.active_snapshot_id = $17
  on conflict (tenant_id, principal_key, idempotency_key) do nothing
  returning id, state
), logged as (
  insert into decisions (tenant_id, job_id, cause, policy_snapshot, decision, rule_id, reason, matched_rules,
                         requirements, constraints, created_at)
  select $1, job.id, 'submit', $17, $18, $20, $21, $22::jsonb, $23::jsonb, $25::jsonb, $34::timestamptz from job
), audited as (
  insert into audit_events (tenant_id, type, actor, job_id, data, created_at, key_id, nonce, mac)
  select $1, 'job.submitted', $12, job.id, $35::jsonb, $36, $40, $41, $42 from job
), notified as (
  select pg_notify($37, $38) from job where job.state = 'APPROVAL'
), paged as (
  -- Reviewer notifications for new pending work, to the tenant's targets for these roles (see outbox/notify.ts,
  -- whose notificationId this id expression matches).
  insert into deliveries (id, tenant_id, job_id, kind, event_type, url, body, next_attempt_at, created_at)
  select 'dlv-n-' || countersign_base64url(job.id || ':' || t.id || ':job.pending'),
         $1, job.id, 'notification', 'job.pending', t.url, $39, $34::timestamptz, $34::timestamptz
  from job join notification_targets t
    on t.tenant_id = $1 and 'job.pending' = any(t.events) and (cardinality(t.roles) = 0 or t.roles && $24::text[])
  where job.state = 'APPROVAL'
)
select (select active_snapshot_id from tenant) as active_snapshot_id,
       (select id from job) as job_id,
       (select count(*) from notified) as notified`;

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export type InsertOutcome = "inserted" | "stale_policy" | "duplicate_key";

export async function insertSubmitted(query: RawQuery, row: JobRow, evaluation: Evaluation): Promise<InsertOutcome> {
  const change: JobChange = { tenant: row.tenantId, job: row.id, state: row.state };
  const audit = {
    topic: row.topic,
    risk_tags: row.riskTags,
    job_hash: row.jobHash,
    policy_snapshot: row.policySnapshot,
    decision: row.decision,
    policy_rule_id: row.policyRuleId,
    state: row.state,
  };
  const stamp = stampEvent({ tenantId: row.tenantId, type: "job.submitted", actor: row.requestedBy, jobId: row.id, data: audit, createdAt: row.createdAt.toISOString() });
  const [result] = await query<{ active_snapshot_id: string | null; job_id: string | null }>(SUBMIT_SQL, [
    row.tenantId, // $1
    row.id,
    row.state,
    row.topic,
    row.riskTags, // $5
    json(row.payload),
    row.title,
    row.description,
    json(row.labels),
    row.callbackUrl, // $10
    row.onBehalfOf,
    row.requestedBy,
    row.submitterEmail,
    row.tokenId,
    row.principalKey, // $15
    row.jobHash,
    row.policySnapshot,
    row.decision,
    row.gated,
    row.policyRuleId, // $20
    row.policyReason,
    json(row.matchedRules),
    json(row.requirements),
    row.eligibleRoles,
    json(evaluation.constraints), // $25
    json(row.summary),
    iso(row.dueAt),
    iso(row.expiresAt),
    row.onTimeout,
    row.escalateTo, // $30
    row.approvedSnapshot,
    row.idempotencyKey,
    row.requestHash,
    iso(row.createdAt),
    stamp.dataJson, // $35
    row.createdAt.toISOString(),
    JOB_CHANNEL,
    JSON.stringify(change),
    row.state === "APPROVAL" ? notificationBody("job.pending", row) : null, // $39
    stamp.keyId, // $40
    stamp.nonce,
    stamp.mac,
  ]);
  if (result?.job_id) return "inserted";
  return result?.active_snapshot_id === row.policySnapshot ? "duplicate_key" : "stale_policy";
}
