import "server-only";
import { sql } from "drizzle-orm";
import type { RawQuery } from "@/lib/db/client";
import { bare, statement } from "@/lib/db/raw-sql";
import { auditEvents, decisions, deliveries, jobs, notificationTargets, standingApprovals, tenants, type JobRow } from "@/lib/db/schema";
import type { Evaluation } from "@/lib/policy/types";
import { stampEvent } from "@/lib/services/audit/mac";
import { JOB_CHANNEL, type JobChange } from "@/lib/services/events";
import { MAIL_URL_PREFIX } from "@/lib/services/channels/mail-send";
import { mailConfigured } from "@/lib/services/channels/mail-transport";
import { callbackRow } from "@/lib/services/outbox/enqueue";
import { notificationBody } from "@/lib/services/outbox/notify";
import { claimedAudit } from "./claim";
import { liveGrant } from "@/lib/services/standing/live";

// The job's columns as the statement inserts them: each from the slot of its own name, with its cast.
const JOB_COLUMNS = [
  [jobs.id, ""], [jobs.tenantId, ""], [jobs.state, ""], [jobs.topic, ""], [jobs.riskTags, "text[]"], [jobs.payload, "json"],
  [jobs.title, ""], [jobs.description, ""], [jobs.labels, "jsonb"], [jobs.callbackUrl, ""], [jobs.onBehalfOf, ""],
  [jobs.requestedBy, ""], [jobs.submitterEmail, ""], [jobs.tokenId, ""], [jobs.principalKey, ""], [jobs.jobHash, ""],
  [jobs.policySnapshot, ""], [jobs.decision, ""], [jobs.gated, ""], [jobs.policyRuleId, ""], [jobs.policyReason, ""],
  [jobs.matchedRules, "jsonb"], [jobs.requirements, "jsonb"], [jobs.eligibleRoles, "text[]"], [jobs.constraints, "jsonb"],
  [jobs.summary, "jsonb"], [jobs.dueAt, "timestamptz"], [jobs.expiresAt, "timestamptz"], [jobs.onTimeout, ""],
  [jobs.escalateTo, "text[]"], [jobs.approvedSnapshot, ""], [jobs.idempotencyKey, ""], [jobs.requestHash, ""],
  [jobs.createdAt, "timestamptz"], [jobs.updatedAt, "timestamptz"], [jobs.claimedAt, "timestamptz"], [jobs.claimedBy, ""],
] as const;
type JobSlot = (typeof JOB_COLUMNS)[number][0]["name"];
type Slot = JobSlot | "logged_rules" | "events" | "eventCreatedAt" | "channel" | "change" | "pageBody" | "mail" | "standing" | "callbackId" | "callbackBody";

/**
 * Submission in one statement (one round trip, its own transaction): lock the tenant row FOR KEY SHARE
 * and insert the job only if the policy it was evaluated under is still the active one, then its
 * decision-log entry, its audit event and, if it waits for people, the queue notification. A job claimed
 * at submission (claimedAtSubmission) is inserted RUNNING, with its claim's audit event and callback.
 *
 * The tenant lock pairs with a policy activation's FOR UPDATE: either this job commits first (and the
 * activation re-decides it) or it sees the new snapshot and inserts nothing, so the caller evaluates
 * again. The unique (tenant, submitter, Idempotency-Key) index settles racing retries the same way.
 *
 * With `standing` (a gated job a standing approval could approve), a live grant for it stops the insert
 * and is named in the answer, so the common gated submission stays one round trip.
 */
const SUBMIT = statement<Slot>((slot) => {
  const value = ([column, cast]: (typeof JOB_COLUMNS)[number]) => (cast ? sql`${slot(column.name)}::${sql.raw(cast)}` : sql`${slot(column.name)}`);
  const d = decisions;
  const a = auditEvents;
  const n = deliveries;
  const t = notificationTargets;
  const tenant = slot("tenant_id");
  const createdAt = sql`${slot("created_at")}::timestamptz`;
  const grant = liveGrant({ tenant, agent: slot("requested_by"), hash: slot("job_hash"), snapshot: slot("policy_snapshot"), now: createdAt });
  return sql`
with tenant as (
  select ${tenants.activeSnapshotId} from ${tenants} where ${tenants.id} = ${tenant} for key share
), standing as (
  select ${standingApprovals.id} from ${standingApprovals} where ${slot("standing")}::boolean and ${grant} limit 1
), job as (
  insert into ${jobs} (${sql.join(JOB_COLUMNS.map(([c]) => bare(c)), sql`, `)}, ${bare(jobs.escalated)})
  select ${sql.join(JOB_COLUMNS.map(value), sql`, `)}, false
  from tenant where tenant.active_snapshot_id = ${slot("policy_snapshot")} and not exists (select from standing)
  on conflict (${bare(jobs.tenantId)}, ${bare(jobs.principalKey)}, ${bare(jobs.idempotencyKey)}) do nothing
  returning ${bare(jobs.id)}, ${bare(jobs.state)}
), logged as (
  insert into ${d} (${bare(d.tenantId)}, ${bare(d.jobId)}, ${bare(d.cause)}, ${bare(d.policySnapshot)}, ${bare(d.decision)}, ${bare(d.ruleId)},
                    ${bare(d.reason)}, ${bare(d.matchedRules)}, ${bare(d.requirements)}, ${bare(d.constraints)}, ${bare(d.createdAt)})
  select ${tenant}, job.id, 'submit', ${slot("policy_snapshot")}, ${slot("decision")}, ${slot("policy_rule_id")}, ${slot("policy_reason")},
         ${slot("logged_rules")}::jsonb, ${slot("requirements")}::jsonb, ${slot("constraints")}::jsonb, ${createdAt} from job
), audited as (
  -- job.submitted, then job.claimed when the submission claims: ids in this order.
  insert into ${a} (${bare(a.tenantId)}, ${bare(a.type)}, ${bare(a.actor)}, ${bare(a.jobId)}, ${bare(a.data)}, ${bare(a.createdAt)},
                    ${bare(a.keyId)}, ${bare(a.nonce)}, ${bare(a.mac)})
  select ${tenant}, e.v->>'type', ${slot("requested_by")}, job.id, e.v->'data', ${slot("eventCreatedAt")}, e.v->>'key_id', e.v->>'nonce', e.v->>'mac'
  from job, jsonb_array_elements(${slot("events")}::jsonb) with ordinality as e(v, n)
  order by e.n
), called as (
  insert into ${n} (${bare(n.id)}, ${bare(n.tenantId)}, ${bare(n.jobId)}, ${bare(n.kind)}, ${bare(n.eventType)}, ${bare(n.url)}, ${bare(n.body)},
                    ${bare(n.nextAttemptAt)}, ${bare(n.createdAt)})
  select ${slot("callbackId")}, ${tenant}, job.id, 'callback', 'job.claimed', ${slot("callback_url")}, ${slot("callbackBody")}, ${createdAt}, ${createdAt}
  from job where ${slot("callbackBody")}::text is not null
), notified as (
  select pg_notify(${slot("channel")}, ${slot("change")}) from job where job.state = 'APPROVAL'
), paged as (
  -- Reviewer notifications for new pending work, to the tenant's targets for these roles (see outbox/notify.ts,
  -- whose notificationId this id expression matches).
  insert into ${n} (${bare(n.id)}, ${bare(n.tenantId)}, ${bare(n.jobId)}, ${bare(n.kind)}, ${bare(n.eventType)}, ${bare(n.url)}, ${bare(n.body)},
                    ${bare(n.nextAttemptAt)}, ${bare(n.createdAt)})
  select 'dlv-n-' || countersign_base64url(job.id || ':' || ${t.id} || ':job.pending'),
         ${tenant}, job.id, 'notification', 'job.pending', ${t.url}, ${slot("pageBody")}, ${createdAt}, ${createdAt}
  from job join ${t}
    on ${t.tenantId} = ${tenant} and 'job.pending' = any(${t.events}) and (cardinality(${t.roles}) = 0 or ${t.roles} && ${slot("eligible_roles")}::text[])
  where job.state = 'APPROVAL'
  union all
  -- With mail on, one fan-out row (channels/mail-send.ts) finds the people who can act when it runs.
  select 'dlv-m-' || countersign_base64url(job.id || ':job.pending'), ${tenant}, job.id, 'notification', 'job.pending', ${MAIL_URL_PREFIX},
         '', ${createdAt}, ${createdAt}
  from job where job.state = 'APPROVAL' and ${slot("mail")}::boolean
)
select (select active_snapshot_id from tenant) as active_snapshot_id,
       (select id from job) as job_id,
       (select id from standing) as standing_id,
       (select count(*) from notified) as notified`;
});

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
const iso = (d: Date | null) => (d ? d.toISOString() : null);

export type InsertOutcome = "inserted" | "stale_policy" | "duplicate_key";

interface InsertOptions {
  /** Decision-log lines beyond the matching rules and shadow rules (budgeted rules past their budget). */
  logOnly?: readonly object[];
  /** Look for a live standing approval first; if one covers the job, insert nothing and answer "standing". */
  standing?: boolean;
}

export function insertSubmitted(query: RawQuery, row: JobRow, evaluation: Evaluation, options?: InsertOptions & { standing?: false }): Promise<InsertOutcome>;
export function insertSubmitted(query: RawQuery, row: JobRow, evaluation: Evaluation, options: InsertOptions): Promise<InsertOutcome | "standing">;
export async function insertSubmitted(query: RawQuery, row: JobRow, evaluation: Evaluation, { logOnly = [], standing = false }: InsertOptions = {}): Promise<InsertOutcome | "standing"> {
  const change: JobChange = { tenant: row.tenantId, job: row.id, state: row.state };
  // A job inserted RUNNING was claimed by this submission: the policy's answer was APPROVED, then the claim.
  const claimed = row.state === "RUNNING";
  const submitted = {
    topic: row.topic,
    risk_tags: row.riskTags,
    job_hash: row.jobHash,
    policy_snapshot: row.policySnapshot,
    decision: row.decision,
    policy_rule_id: row.policyRuleId,
    state: claimed ? "APPROVED" : row.state,
  };
  const event = ({ type, data }: { type: string; data: Record<string, unknown> }) => {
    const stamp = stampEvent({ tenantId: row.tenantId, type, actor: row.requestedBy, jobId: row.id, data, createdAt: row.createdAt.toISOString() });
    return { type, data: stamp.data, key_id: stamp.keyId, nonce: stamp.nonce, mac: stamp.mac };
  };
  const events = [event({ type: "job.submitted", data: submitted }), ...(claimed ? [event(claimedAudit(row))] : [])];
  const callback = claimed ? callbackRow(row, [], "job.claimed", row.createdAt) : null;
  const values: Record<JobSlot, unknown> = {
    id: row.id,
    tenant_id: row.tenantId,
    state: row.state,
    topic: row.topic,
    risk_tags: row.riskTags,
    payload: json(row.payload),
    title: row.title,
    description: row.description,
    labels: json(row.labels),
    callback_url: row.callbackUrl,
    on_behalf_of: row.onBehalfOf,
    requested_by: row.requestedBy,
    submitter_email: row.submitterEmail,
    token_id: row.tokenId,
    principal_key: row.principalKey,
    job_hash: row.jobHash,
    policy_snapshot: row.policySnapshot,
    decision: row.decision,
    gated: row.gated,
    policy_rule_id: row.policyRuleId,
    policy_reason: row.policyReason,
    matched_rules: json(row.matchedRules),
    requirements: json(row.requirements),
    eligible_roles: row.eligibleRoles,
    constraints: json(evaluation.constraints),
    summary: json(row.summary),
    due_at: iso(row.dueAt),
    expires_at: iso(row.expiresAt),
    on_timeout: row.onTimeout,
    escalate_to: row.escalateTo,
    approved_snapshot: row.approvedSnapshot,
    idempotency_key: row.idempotencyKey,
    request_hash: row.requestHash,
    created_at: iso(row.createdAt),
    updated_at: iso(row.createdAt),
    claimed_at: iso(row.claimedAt),
    claimed_by: row.claimedBy,
  };
  const [result] = await query<{ active_snapshot_id: string | null; job_id: string | null; standing_id: string | null }>(
    SUBMIT.sql,
    SUBMIT.params({
      ...values,
      // The decision log also keeps what the shadow rules would have done; the job shows only live rules.
      logged_rules:
        evaluation.shadow.length === 0 && logOnly.length === 0 ? values.matched_rules : json([...row.matchedRules, ...evaluation.shadow, ...logOnly]),
      events: JSON.stringify(events),
      eventCreatedAt: row.createdAt.toISOString(),
      channel: JOB_CHANNEL,
      change: JSON.stringify(change),
      pageBody: row.state === "APPROVAL" ? notificationBody("job.pending", row) : null,
      mail: mailConfigured(),
      standing,
      callbackId: callback?.id ?? null,
      callbackBody: callback?.body ?? null,
    }),
  );
  if (result?.job_id) return "inserted";
  if (result?.standing_id) return "standing";
  return result?.active_snapshot_id === row.policySnapshot ? "duplicate_key" : "stale_policy";
}
