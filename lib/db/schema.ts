import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  date,
  doublePrecision,
  index,
  integer,
  json,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import type { Constraints, PolicyDecision, Requirement } from "@/lib/policy/types";

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const tenants = pgTable("tenants", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  activeSnapshotId: text("active_snapshot_id"),
  createdAt: ts("created_at").notNull().defaultNow(),
});

export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    email: text("email").notNull(),
    name: text("name"),
    roles: text("roles").array().notNull().default(sql`'{}'::text[]`),
    passwordHash: text("password_hash"),
    disabled: boolean("disabled").notNull().default(false),
    // The Slack user this person answers for in Slack (DESIGN §8); unlinked Slack users cannot vote.
    slackUserId: text("slack_user_id"),
    // The person asked not to get approval mails.
    emailOptOut: boolean("email_opt_out").notNull().default(false),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("users_tenant_email_uq").on(t.tenantId, t.email),
    uniqueIndex("users_tenant_slack_uq").on(t.tenantId, t.slackUserId).where(sql`${t.slackUserId} is not null`),
  ],
);

export const tokens = pgTable(
  "tokens",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    kind: text("kind", { enum: ["agent", "user"] }).notNull(),
    name: text("name").notNull(),
    scopes: text("scopes").array().notNull(),
    userId: text("user_id").references(() => users.id),
    ownerEmail: text("owner_email"),
    // Only the SHA-256 of the secret is kept; the secret is shown once at creation.
    tokenHash: text("token_hash").notNull(),
    expiresAt: ts("expires_at"),
    revokedAt: ts("revoked_at"),
    // When a request last came with it, to within a minute: recorded off the request path (lib/auth/token-use.ts).
    lastUsedAt: ts("last_used_at"),
    // Per-token rate limits (requests per minute); null means the installation's default.
    submitPerMinute: integer("submit_per_minute"),
    resolvePerMinute: integer("resolve_per_minute"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("tokens_hash_uq").on(t.tokenHash), index("tokens_tenant_idx").on(t.tenantId)],
);

/**
 * Console sign-ins, one row each: the session cookie names its row, and every request checks the row is
 * live, so signing out, disabling a person or changing their roles ends a session at once (the cookie
 * alone would otherwise be good until it expires). Rows of a person's ended sessions are removed at
 * their next sign-in.
 */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    userId: text("user_id").notNull().references(() => users.id),
    createdAt: ts("created_at").notNull(),
    expiresAt: ts("expires_at").notNull(),
    revokedAt: ts("revoked_at"),
  },
  (t) => [index("sessions_user_idx").on(t.tenantId, t.userId)],
);

export const policySnapshots = pgTable(
  "policy_snapshots",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    yaml: text("yaml").notNull(),
    policy: jsonb("policy").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [index("policy_snapshots_tenant_idx").on(t.tenantId, t.createdAt)],
);

/** Every activation of a snapshot, so re-activating an older policy keeps an honest history. */
export const policyActivations = pgTable(
  "policy_activations",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    snapshotId: text("snapshot_id").notNull().references(() => policySnapshots.id),
    activatedBy: text("activated_by").notNull(),
    activatedAt: ts("activated_at").notNull().defaultNow(),
  },
  (t) => [index("policy_activations_tenant_idx").on(t.tenantId, t.activatedAt)],
);

export const JOB_STATES = [
  "APPROVAL",
  "APPROVED",
  "RUNNING",
  "SUCCEEDED",
  "FAILED",
  "DENIED",
  "REJECTED",
  "EXPIRED",
  "CANCELLED",
] as const;
export type JobState = (typeof JOB_STATES)[number];
export type Resolution = "approved" | "rejected" | "expired" | "cancelled";

// Two more columns are PostgreSQL's own and not declared here (drizzle/0009_job_view.sql): `view`, the
// job's queue item rendered by a trigger at every write, and `tally`, the votes cast on it, appended
// by the vote's statement. Drizzle never selects them; raw SQL reads them (approvals/list.ts).
export const jobs = pgTable(
  "jobs",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    state: text("state").$type<JobState>().notNull(),
    topic: text("topic").notNull(),
    riskTags: text("risk_tags").array().notNull(),
    // json, not jsonb: the agent's text is kept as sent, so reviewers see its keys in its order (jsonb
    // re-sorts them). The job hash is of the canonical form either way.
    payload: json("payload").$type<Record<string, unknown>>().notNull(),
    title: text("title"),
    description: text("description"),
    labels: jsonb("labels").$type<Record<string, string>>(),
    callbackUrl: text("callback_url"),
    onBehalfOf: text("on_behalf_of"),
    requestedBy: text("requested_by").notNull(),
    // The human answerable for the submitting token (agent owner or the user itself): may not approve.
    submitterEmail: text("submitter_email"),
    tokenId: text("token_id"),
    // Who exactly submitted (token id for agents, user id for people): scopes idempotency and cancel.
    principalKey: text("principal_key").notNull(),
    jobHash: text("job_hash").notNull(),
    policySnapshot: text("policy_snapshot").notNull(),
    decision: text("decision").$type<PolicyDecision>().notNull(),
    // The job needed people at some point (a later policy may have denied it): the queue's history.
    gated: boolean("gated").notNull(),
    policyRuleId: text("policy_rule_id").notNull(),
    policyReason: text("policy_reason").notNull(),
    matchedRules: jsonb("matched_rules").$type<{ id: string; decision: PolicyDecision; reason: string | null }[]>().notNull(),
    requirements: jsonb("requirements").$type<Requirement[]>().notNull(),
    // Roles that may vote right now (requirement roles, plus escalate_to once escalated): serves `actionable`.
    eligibleRoles: text("eligible_roles").array().notNull(),
    constraints: jsonb("constraints").$type<Constraints | null>(),
    summary: jsonb("summary").$type<{ title: string; why: string; next_effect: string }>().notNull(),
    dueAt: ts("due_at"),
    expiresAt: ts("expires_at"),
    onTimeout: text("on_timeout").$type<"escalate" | "reject">(),
    escalateTo: text("escalate_to").array().notNull().default(sql`'{}'::text[]`),
    escalated: boolean("escalated").notNull().default(false),
    // The sweeper told the people who can act that the deadline nears (once; see countersign_expiring_at).
    expiringNoticed: boolean("expiring_noticed").notNull().default(false),
    resolution: text("resolution").$type<Resolution>(),
    resolvedBy: text("resolved_by"),
    // Why it was decided: the deciding vote's reason (or the cancellation's), and that vote's note. The
    // API's resolved_comment is derived from the two (resolvedComment, jobs/render.ts); the metrics count
    // rejection reasons by resolved_reason.
    resolvedReason: text("resolved_reason"),
    resolvedNote: text("resolved_note"),
    resolvedAt: ts("resolved_at"),
    // The snapshot under which the job was last approved (policy-allowed, by people, or kept approved by a
    // re-decision). While APPROVED it equals policy_snapshot, and a claim needs both to be the active one;
    // after a policy change took the approval back (DENIED, or APPROVAL again) it names the stale approval.
    approvedSnapshot: text("approved_snapshot"),
    claimedAt: ts("claimed_at"),
    claimedBy: text("claimed_by"),
    completedAt: ts("completed_at"),
    outcomeDetail: text("outcome_detail"),
    idempotencyKey: text("idempotency_key"),
    requestHash: text("request_hash"),
    createdAt: ts("created_at").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [
    // The pending queue: most urgent first within a tenant.
    index("jobs_queue_idx")
      .on(t.tenantId, t.dueAt, t.createdAt, t.id)
      .where(sql`${t.state} = 'APPROVAL'`),
    // History (include_resolved=true): newest first among jobs that needed people.
    index("jobs_history_idx")
      .on(t.tenantId, t.createdAt, t.id)
      .where(sql`${t.gated}`),
    index("jobs_tenant_state_idx").on(t.tenantId, t.state),
    // The SLA sweeper, across tenants: pending jobs whose due time has come (a deadline is never earlier).
    index("jobs_due_idx").on(t.dueAt).where(sql`${t.state} = 'APPROVAL'`),
    index("jobs_tenant_topic_idx").on(t.tenantId, t.topic, t.createdAt),
    // A submitter's own jobs with one job hash, newest first (GET /jobs: the MCP gateway's retry finds
    // the call it held before, also when there is none, without reading the submitter's other jobs).
    index("jobs_submitter_hash_idx").on(t.tenantId, t.principalKey, t.jobHash, t.createdAt, t.id),
    // Pending jobs by their deadline: a covering index written by hand (drizzle/*_deadline_twin.sql) on
    // countersign_deadline, because it INCLUDEs what the queue depth, the expired count and the per-rule
    // depth read: none touches the heap.
    // Pending jobs not yet warned, by when to warn: written by hand (drizzle/*_expiring_notice.sql) on
    // countersign_expiring_at, for the sweeper.
    // Time-to-decision over a window: a covering index written by hand (drizzle/0002_metrics_index.sql)
    // because it INCLUDEs the columns the metrics read.
    uniqueIndex("jobs_idempotency_uq").on(t.tenantId, t.principalKey, t.idempotencyKey),
  ],
);

/** jobs.tally (see above): the votes on a job in the order cast, as `{ userId, vote, roles }`. */
export const jobsTally = sql.raw(`"jobs"."tally"`);
/** jobs.view (see above): the job's queue item as JSON text after its opening brace. */
export const jobsView = sql.raw(`"jobs"."view"`);

export const decisions = pgTable(
  "decisions",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    jobId: text("job_id").notNull().references(() => jobs.id),
    cause: text("cause").$type<"submit" | "policy_change" | "standing_approval">().notNull(),
    policySnapshot: text("policy_snapshot").notNull(),
    decision: text("decision").$type<PolicyDecision>().notNull(),
    ruleId: text("rule_id").notNull(),
    reason: text("reason").notNull(),
    matchedRules: jsonb("matched_rules").notNull(),
    requirements: jsonb("requirements").notNull(),
    constraints: jsonb("constraints"),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [
    index("decisions_job_idx").on(t.jobId),
    // GET /metrics/shadow reads only the submissions a shadow rule matched.
    index("decisions_shadow_idx")
      .on(t.tenantId, t.createdAt)
      .where(sql`${t.cause} = 'submit' and ${t.matchedRules} @> '[{"shadow": true}]'`),
  ],
);

/**
 * What budgeted rules spent (DESIGN §2.1): one row per job a budgeted rule allowed, written in the
 * submission's transaction under an advisory lock on (tenant, rule, scope), so counts are exact.
 * Keyed by rule id, so re-uploading a policy does not refill a budget.
 */
export const budgetUses = pgTable(
  "budget_uses",
  {
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    ruleId: text("rule_id").notNull(),
    /** `agent:<requested_by>`, `on_behalf_of:<name>` or `tenant`. */
    scope: text("scope").notNull(),
    jobId: text("job_id").notNull(),
    /** What the job added to `max_sum` (0 without one), exact. */
    amount: numeric("amount").notNull(),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.jobId, t.ruleId] }),
    index("budget_uses_window_idx").on(t.tenantId, t.ruleId, t.scope, t.createdAt),
  ],
);

export const votes = pgTable(
  "votes",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    jobId: text("job_id").notNull().references(() => jobs.id),
    userId: text("user_id").notNull(),
    userEmail: text("user_email").notNull(),
    vote: text("vote").$type<"approve" | "reject">().notNull(),
    // The roles the voter held when the vote was counted: requirements are re-counted from these.
    roles: text("roles").array().notNull(),
    reason: text("reason").notNull(),
    note: text("note"),
    // The credential the vote came through (`token:<id>` or `session:<id>`): one credential acting as
    // several people shows. Null on votes cast before it was recorded, and on the demo's seeded votes.
    credential: text("credential"),
    createdAt: ts("created_at").notNull(),
  },
  // One vote per person per job, enforced by the database.
  (t) => [uniqueIndex("votes_job_user_uq").on(t.jobId, t.userId), index("votes_tenant_user_idx").on(t.tenantId, t.userId)],
);

/**
 * The audit log. A state change inserts its event in its own transaction (no lock, so writers never
 * queue on the chain), MAC'd by the app (`key_id`, `nonce`, `mac`: lib/services/audit/mac.ts); a sealer
 * then chains committed events in the order it finds them: it assigns `seq`, `prev_hash`, `hash` and
 * `seal_mac`, or, for an event whose MAC fails, sets `rejected` and leaves it out of the chain.
 * Triggers allow exactly those two updates of an unsealed row and refuse every other UPDATE, DELETE
 * and TRUNCATE.
 */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    tenantId: text("tenant_id").notNull(),
    type: text("type").notNull(),
    actor: text("actor").notNull(),
    jobId: text("job_id"),
    data: jsonb("data").$type<Record<string, unknown>>().notNull(),
    createdAt: text("created_at").notNull(),
    seq: bigint("seq", { mode: "number" }),
    prevHash: text("prev_hash"),
    hash: text("hash"),
    keyId: text("key_id"),
    nonce: text("nonce"),
    mac: text("mac"),
    sealMac: text("seal_mac"),
    rejected: text("rejected"),
  },
  (t) => [
    uniqueIndex("audit_events_tenant_seq_uq").on(t.tenantId, t.seq),
    // A genuine event cannot be inserted twice: its MAC covers its nonce, and the nonce is unique.
    uniqueIndex("audit_events_nonce_uq").on(t.nonce),
    index("audit_events_tenant_id_idx").on(t.tenantId, t.id),
    index("audit_events_job_idx").on(t.tenantId, t.jobId),
    index("audit_events_type_idx").on(t.tenantId, t.type),
    index("audit_events_unsealed_idx").on(t.tenantId, t.id).where(sql`${t.hash} is null and ${t.rejected} is null`),
    index("audit_events_rejected_idx").on(t.tenantId, t.id).where(sql`${t.rejected} is not null`),
  ],
);

/** The sealed end of each tenant's chain; sealers lock it, so two never fork the chain. */
export const auditHeads = pgTable("audit_heads", {
  tenantId: text("tenant_id").primaryKey(),
  seq: bigint("seq", { mode: "number" }).notNull(),
  hash: text("hash").notNull(),
});

/**
 * Token buckets for rate limits, one row per (tenant, caller, action), shared by every instance.
 * A request takes one token in a single UPSERT; the bucket refills continuously up to one minute's worth.
 */
export const rateLimits = pgTable(
  "rate_limits",
  {
    tenantId: text("tenant_id").notNull(),
    subject: text("subject").notNull(),
    action: text("action").notNull(),
    tokens: doublePrecision("tokens").notNull(),
    // How many the last take granted (a take may lease several at once; see lib/services/limits.ts).
    granted: integer("granted").notNull(),
    updatedAt: ts("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.subject, t.action] })],
);

/**
 * Time-to-decision per closed UTC day, one row per (tenant, grouping, day): every group's counts, its
 * human decision times as a log-bucket histogram (±1%) and its rejection reasons. A day is written once,
 * when a metrics read first needs it after the day has closed; decisions never move into a past day.
 */
export const metricDays = pgTable(
  "metric_days",
  {
    tenantId: text("tenant_id").notNull(),
    groupBy: text("group_by").notNull(),
    day: date("day", { mode: "string" }).notNull(),
    groups: jsonb("groups").notNull(),
    computedAt: ts("computed_at").notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.groupBy, t.day] })],
);

/**
 * Outgoing webhooks (agent callbacks and reviewer notifications), written in the same transaction as
 * the change they announce and delivered after commit, at least once, by any instance.
 */
export const deliveries = pgTable(
  "deliveries",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    jobId: text("job_id"),
    kind: text("kind").$type<"callback" | "notification">().notNull(),
    eventType: text("event_type").notNull(),
    url: text("url").notNull(),
    // The exact bytes that are signed and sent.
    body: text("body").notNull(),
    state: text("state").$type<"pending" | "delivered" | "failed">().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: ts("next_attempt_at").notNull(),
    // A claimed delivery is leased; a worker that dies mid-send lets it fall due again.
    leaseUntil: ts("lease_until"),
    lastError: text("last_error"),
    createdAt: ts("created_at").notNull(),
    deliveredAt: ts("delivered_at"),
  },
  (t) => [
    index("deliveries_due_idx").on(t.nextAttemptAt).where(sql`${t.state} = 'pending'`),
    index("deliveries_tenant_idx").on(t.tenantId, t.createdAt),
    index("deliveries_job_idx").on(t.tenantId, t.jobId),
  ],
);

/** One row per try: what the receiver answered (or why nothing was sent), and how long it took. */
export const deliveryAttempts = pgTable(
  "delivery_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    tenantId: text("tenant_id").notNull(),
    deliveryId: text("delivery_id").notNull().references(() => deliveries.id),
    attemptedAt: ts("attempted_at").notNull(),
    statusCode: integer("status_code"),
    latencyMs: integer("latency_ms").notNull(),
    error: text("error"),
  },
  (t) => [index("delivery_attempts_delivery_idx").on(t.deliveryId)],
);

/** The per-tenant callback signing secrets: the current one, and the previous one until it retires. */
export const callbackSecrets = pgTable(
  "callback_secrets",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    secret: text("secret").notNull(),
    createdAt: ts("created_at").notNull(),
    retiresAt: ts("retires_at"),
  },
  (t) => [
    index("callback_secrets_tenant_idx").on(t.tenantId, t.createdAt),
    // At most one current secret per tenant: lazy creation by racing instances settles here.
    uniqueIndex("callback_secrets_current_uq").on(t.tenantId).where(sql`${t.retiresAt} is null`),
  ],
);

/**
 * Standing approvals (DESIGN §2.1): a person's approval of one job, granted for a while to identical
 * later jobs of the same agent (same requested_by and job_hash) under the same active snapshot. Ended by
 * expiry, by revocation, or by any policy activation (which sets revoked_at in its transaction).
 */
export const standingApprovals = pgTable(
  "standing_approvals",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    jobHash: text("job_hash").notNull(),
    topic: text("topic").notNull(),
    // The job's requested_by (`agent:<name>` or `user:<email>`).
    agent: text("agent").notNull(),
    grantedBy: text("granted_by").notNull(),
    grantedByUserId: text("granted_by_user_id").notNull(),
    // The job whose approval was extended, and the vote's reason (what later jobs are approved with).
    sourceJobId: text("source_job_id").notNull(),
    reason: text("reason").notNull(),
    snapshotId: text("snapshot_id").notNull(),
    createdAt: ts("created_at").notNull(),
    expiresAt: ts("expires_at").notNull(),
    revokedAt: ts("revoked_at"),
    revokedBy: text("revoked_by"),
  },
  // The submission's lookup: live grants of one agent for one job hash.
  (t) => [index("standing_approvals_lookup_idx").on(t.tenantId, t.agent, t.jobHash).where(sql`${t.revokedAt} is null`)],
);

/**
 * Where reviewers hear about work, optionally only for some roles: Slack-compatible incoming webhooks
 * (`webhook`), or a channel of the Slack app (`slack`, url `slack:<channel>`, lib/services/channels).
 */
export const notificationTargets = pgTable(
  "notification_targets",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    kind: text("kind").$type<"webhook" | "slack">().notNull().default("webhook"),
    url: text("url").notNull(),
    events: text("events").array().notNull(),
    roles: text("roles").array().notNull().default(sql`'{}'::text[]`),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [index("notification_targets_tenant_idx").on(t.tenantId)],
);

/**
 * The Slack message posted about a job in a channel (the thread root), and what it last showed
 * (`shown`, see channels/slack-refresh.ts): every message is updated until the job is final.
 */
export const slackMessages = pgTable(
  "slack_messages",
  {
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    jobId: text("job_id").notNull(),
    channel: text("channel").notNull(),
    ts: text("ts").notNull(),
    shown: text("shown").notNull(),
    final: boolean("final").notNull().default(false),
    attempts: integer("attempts").notNull().default(0),
    leaseUntil: ts("lease_until"),
    lastError: text("last_error"),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.jobId, t.channel] }), index("slack_messages_open_idx").on(t.leaseUntil).where(sql`not ${t.final}`)],
);

/** Slack requests already answered (their signature), so each is acted on once; kept past the 5-minute window. */
export const slackReplays = pgTable("slack_replays", {
  signature: text("signature").primaryKey(),
  createdAt: ts("created_at").notNull(),
});

/** Personal email links (DESIGN §8): one person, one job, used once. The token is `id.HMAC`. */
export const emailLinks = pgTable(
  "email_links",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull().references(() => tenants.id),
    jobId: text("job_id").notNull(),
    userId: text("user_id").notNull(),
    createdAt: ts("created_at").notNull(),
    usedAt: ts("used_at"),
  },
  (t) => [index("email_links_job_idx").on(t.tenantId, t.jobId)],
);

/** What the demo would have sent (mails, Slack messages), for its preview page; written only with COUNTERSIGN_DEMO=1. */
export const channelPreviews = pgTable(
  "channel_previews",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    tenantId: text("tenant_id").notNull(),
    kind: text("kind").$type<"slack" | "email">().notNull(),
    jobId: text("job_id"),
    target: text("target").notNull(),
    body: jsonb("body").notNull(),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [index("channel_previews_tenant_idx").on(t.tenantId, t.id)],
);

export const schema = {
  tenants,
  users,
  tokens,
  sessions,
  policySnapshots,
  policyActivations,
  jobs,
  decisions,
  votes,
  auditEvents,
  auditHeads,
  deliveries,
  deliveryAttempts,
  callbackSecrets,
  slackMessages,
  slackReplays,
  emailLinks,
  channelPreviews,
  notificationTargets,
  standingApprovals,
  rateLimits,
  metricDays,
};

export type JobRow = typeof jobs.$inferSelect;
export type VoteRow = typeof votes.$inferSelect;
export type UserRow = typeof users.$inferSelect;
export type TokenRow = typeof tokens.$inferSelect;
export type SessionRow = typeof sessions.$inferSelect;
export type StandingApprovalRow = typeof standingApprovals.$inferSelect;
