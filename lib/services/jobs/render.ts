import "server-only";
import { sql } from "drizzle-orm";
import { jobsTally, type JobRow, type VoteRow } from "@/lib/db/schema";
import type { PolicyDecision, Requirement } from "@/lib/policy/types";
import { refusalFor, type Refusal } from "@/lib/services/approvals/rules";
import type { Principal } from "@/lib/services/context";
import type { JobItem } from "./schemas";
import { countApprovals, currentView, isEscalated, requirementRoles } from "./state";

export const DECISION_NAMES: Record<PolicyDecision, JobItem["decision"]> = {
  allow: "ALLOW",
  allow_with_constraints: "ALLOW_WITH_CONSTRAINTS",
  require_approval: "REQUIRE_APPROVAL",
  deny: "DENY",
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The columns rendering reads (`Pick` holds each to a column of the job row). */
type RenderField =
  | "id" | "state" | "topic" | "riskTags" | "title" | "description" | "labels" | "payload" | "createdAt"
  | "updatedAt" | "requestedBy" | "onBehalfOf" | "submitterEmail" | "callbackUrl" | "decision"
  | "policySnapshot" | "policyRuleId" | "policyReason" | "jobHash" | "summary" | "requirements" | "dueAt"
  | "expiresAt" | "escalated" | "onTimeout" | "resolution" | "resolvedBy" | "resolvedReason" | "resolvedNote" | "resolvedAt"
  | "constraints" | "matchedRules";
export type RenderableJob = Pick<JobRow, RenderField>;

/** What rendering needs of each vote: who, which way, with which roles. */
export type VoteTally = Pick<VoteRow, "userId" | "vote" | "roles">;

/**
 * A job's votes as a column of the job query itself: the job's own tally (jobs.tally, appended by each
 * vote under the job's row lock), in the order cast. The one way votes are read for counting; the
 * approval log (jobs/decisions.ts) reads the `votes` rows for their reasons.
 */
export const votesColumn = sql<VoteTally[]>`${jobsTally}`;

/**
 * The API's resolved_comment: the decision's reason, and the deciding vote's note on a line of its own.
 * Stored apart (resolved_reason, resolved_note); its SQL twin is countersign_resolved_comment.
 */
export function resolvedComment(reason: string | null, note: string | null): string | null {
  return reason === null || note === null ? reason : `${reason}\n${note}`;
}

/** Why this caller may not vote on the job at `now` (rules.ts); null when they may. */
export function cannotAct(job: RenderableJob, votes: VoteTally[], principal: Principal, now: Date): Refusal | null {
  return refusalFor({ ...currentView(job, now), escalated: isEscalated(job, now) }, votes, principal);
}

/** Each requirement as an item shows it: its roles at this escalation, and the approvals counted toward it. */
export function renderRequirements(requirements: Requirement[], votes: VoteTally[], escalated: boolean): JobItem["requirements"] {
  const approvals = countApprovals(requirements, votes, escalated);
  return requirements.map((r, i) => ({
    rule_id: r.rule_id,
    roles: requirementRoles(r, escalated),
    count: r.count,
    approvals: approvals[i] ?? 0,
  }));
}

export function renderJob(stored: RenderableJob, votes: VoteTally[], principal: Principal, now: Date): JobItem {
  const job = currentView(stored, now);
  const escalated = isEscalated(stored, now);
  return {
    job: {
      id: job.id,
      state: job.state,
      topic: job.topic,
      risk_tags: job.riskTags,
      title: job.title,
      description: job.description,
      labels: job.labels ?? {},
      payload: job.payload,
      created_at: job.createdAt.toISOString(),
      updated_at: job.updatedAt.toISOString(),
      requested_by: job.requestedBy,
      on_behalf_of: job.onBehalfOf,
      callback_url: job.callbackUrl,
    },
    decision: DECISION_NAMES[job.decision],
    policy_snapshot: job.policySnapshot,
    policy_rule_id: job.policyRuleId,
    policy_reason: job.policyReason,
    job_hash: job.jobHash,
    approval_required: job.decision === "require_approval",
    decision_summary: job.summary,
    requirements: renderRequirements(job.requirements, votes, escalated),
    sla: { due_at: iso(job.dueAt), expires_at: iso(job.expiresAt), escalated },
    can_act: refusalFor({ ...job, escalated }, votes, principal) === null,
    resolution: job.resolution,
    resolved_by: job.resolvedBy,
    resolved_comment: resolvedComment(job.resolvedReason, job.resolvedNote),
    resolved_at: iso(job.resolvedAt),
    constraints: job.constraints ?? null,
    matched_rules: job.matchedRules,
  };
}
