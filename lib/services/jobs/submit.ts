import "server-only";
import { and, eq } from "drizzle-orm";
import { ulid } from "@/lib/ids";
import { jobs, type JobRow } from "@/lib/db/schema";
import { budgetClaims } from "@/lib/policy/budget";
import { type CompiledPolicy, evaluate, type EvaluationJob } from "@/lib/policy/evaluate";
import { canonicalJson, jobHash } from "@/lib/policy/snapshot";
import { sha256Hex } from "@/lib/sha256";
import type { Logger } from "@/lib/log";
import type { Evaluation } from "@/lib/policy/types";
import { actorOf, principalKey, type Ctx } from "@/lib/services/context";
import { Conflict } from "@/lib/services/errors";
import { activePolicy, forgetActive } from "@/lib/services/policy/active";
import { insertWithinBudgets } from "./budget";
import { standingApplies, submitWithStanding } from "@/lib/services/standing/use";
import { insertSubmitted } from "./insert";
import { claimedAtSubmission, executionGrant } from "./claim";
import { renderJob, votesColumn } from "./render";
import type { SubmitJobBody, SubmittedJob } from "./schemas";
import { eligibleRoles } from "./state";

const STATE_BY_DECISION = {
  allow: "APPROVED",
  allow_with_constraints: "APPROVED",
  require_approval: "APPROVAL",
  deny: "DENIED",
} as const;

/** If evaluation itself fails, the job is not allowed. */
function failClosed(topic: string, err: unknown, logger: Logger): Evaluation {
  logger.error({ err, topic }, "policy evaluation failed");
  return {
    decision: "deny",
    rule_id: "default",
    reason: "Policy evaluation failed; the job is not allowed",
    matched_rules: [],
    shadow: [],
    requirements: [],
    constraints: null,
    sla_sec: null,
    cutoff_sec: 24 * 3600,
    on_timeout: "escalate",
    escalate_to: [],
    summary: { title: `Review ${topic}`, why: "Policy evaluation failed", next_effect: "The agent may not run it" },
  };
}

interface JobRowInput {
  ctx: Ctx;
  input: SubmitJobBody;
  riskTags: string[];
  requestHash: string;
  idempotencyKey: string | null;
  snapshotId: string;
  evaluation: Evaluation;
}

/** The stored job: what was asked, what the policy said, and its deadlines. */
export function jobRow({ ctx, input, riskTags, requestHash, idempotencyKey, snapshotId, evaluation }: JobRowInput): JobRow {
  const { principal, now } = ctx;
  const gated = evaluation.decision === "require_approval";
  const expiresAt = gated ? new Date(now.getTime() + evaluation.cutoff_sec * 1000) : null;
  const dueAt = gated
    ? evaluation.sla_sec !== null
      ? new Date(Math.min(now.getTime() + evaluation.sla_sec * 1000, expiresAt!.getTime()))
      : expiresAt
    : null;
  const state = STATE_BY_DECISION[evaluation.decision];
  const row: JobRow = {
    id: `job-${ulid()}`,
    tenantId: principal.tenantId,
    state,
    topic: input.topic,
    riskTags,
    payload: input.payload,
    title: input.title ?? null,
    description: input.description ?? null,
    labels: input.labels ?? null,
    callbackUrl: input.callback_url ?? null,
    onBehalfOf: input.on_behalf_of ?? null,
    requestedBy: actorOf(principal),
    principalKey: principalKey(principal),
    submitterEmail: principal.kind === "agent" ? principal.ownerEmail : principal.kind === "user" ? principal.email : null,
    tokenId: principal.tokenId,
    jobHash: jobHash({ topic: input.topic, risk_tags: riskTags, payload: input.payload }),
    policySnapshot: snapshotId,
    decision: evaluation.decision,
    gated,
    policyRuleId: evaluation.rule_id,
    policyReason: evaluation.reason,
    matchedRules: evaluation.matched_rules,
    requirements: gated ? evaluation.requirements : [],
    eligibleRoles: gated ? eligibleRoles(evaluation.requirements, false) : [],
    constraints: evaluation.constraints,
    summary: evaluation.summary,
    dueAt,
    expiresAt,
    onTimeout: gated ? evaluation.on_timeout : null,
    escalateTo: gated ? evaluation.escalate_to : [],
    escalated: false,
    expiringNoticed: false,
    resolution: null,
    resolvedBy: null,
    resolvedNote: null,
    resolvedReason: null,
    resolvedAt: null,
    approvedSnapshot: state === "APPROVED" ? snapshotId : null,
    claimedAt: null,
    claimedBy: null,
    completedAt: null,
    outcomeDetail: null,
    idempotencyKey,
    requestHash,
    createdAt: now,
    updatedAt: now,
  };
  return row;
}

export interface SubmitResult {
  item: SubmittedJob;
  created: boolean;
}

/** Evaluates, failing closed: if evaluation itself throws, the job is denied. */
function decide(compiled: CompiledPolicy, job: EvaluationJob, logger: Logger, exhausted?: ReadonlySet<string>): Evaluation {
  try {
    return evaluate(compiled, job, exhausted);
  } catch (err) {
    return failClosed(job.topic, err, logger);
  }
}

/** Claimed by the request that submitted it (claimedAtSubmission), and not yet completed. */
function runningSinceSubmission(job: JobRow): boolean {
  return job.state === "RUNNING" && job.claimedAt?.getTime() === job.createdAt.getTime() && job.claimedBy === job.requestedBy;
}

/**
 * Submit a job. With `claim` (the caller holds jobs:execute), a job the policy allows is claimed in the
 * same transaction and the answer carries its grant; one that needs people or is denied is not.
 */
export async function submitJob({
  ctx,
  input,
  idempotencyKey,
  claim = false,
}: {
  ctx: Ctx;
  input: SubmitJobBody;
  idempotencyKey: string | null;
  claim?: boolean;
}): Promise<SubmitResult> {
  const { db, principal, now } = ctx;
  const tenantId = principal.tenantId;
  const riskTags = [...new Set(input.risk_tags)].sort();
  const requestHash = sha256Hex(canonicalJson({ ...input, risk_tags: riskTags }));

  const replay = async (): Promise<SubmitResult> => {
    const [existing] = await db
      .select({ job: jobs, votes: votesColumn })
      .from(jobs)
      .where(and(eq(jobs.tenantId, tenantId), eq(jobs.principalKey, principalKey(principal)), eq(jobs.idempotencyKey, idempotencyKey!)));
    if (!existing) throw new Error("an Idempotency-Key conflicted but no job holds it");
    if (existing.job.requestHash !== requestHash) {
      throw new Conflict("idempotency_key_reused", "This Idempotency-Key was already used with a different body.");
    }
    const item = renderJob(existing.job, existing.votes, principal, now);
    // A replay answers what the first request answered: if that claimed the job, the retry that lost
    // the answer must get the grant again, or nobody could ever run the job it holds.
    if (claim && runningSinceSubmission(existing.job)) return { item: { ...item, grant: executionGrant(existing.job) }, created: false };
    return { item, created: false };
  };

  const job: EvaluationJob = {
    topic: input.topic,
    risk_tags: riskTags,
    title: input.title ?? null,
    payload: input.payload,
    labels: input.labels ?? null,
    requested_by: actorOf(principal),
    on_behalf_of: input.on_behalf_of ?? null,
  };

  try {
    // Evaluate under the active policy and insert in one statement; if a new policy became active in
    // between, the insert does nothing and the job is evaluated again under the new one.
    for (let attempt = 0; attempt < 5; attempt++) {
      // First try the snapshot this instance last saw; the insert re-checks it under lock.
      const active = await activePolicy(db, tenantId, { guess: attempt === 0 });
      const evaluation = decide(active.compiled, job, ctx.log);
      const claims = budgetClaims(active.compiled, evaluation, job);
      if (claims.length > 0) {
        const rowFor = (ev: Evaluation) => jobRow({ ctx, input, riskTags, requestHash, idempotencyKey, snapshotId: active.snapshotId, evaluation: ev });
        const again = (exhausted: ReadonlySet<string>) => decide(active.compiled, job, ctx.log, exhausted);
        const spent = await insertWithinBudgets({ ctx, job, compiled: active.compiled, first: { evaluation, claims }, again, rowFor, claim });
        if (spent.claimed) return { item: { ...renderJob(spent.claimed.row, [], principal, now), grant: spent.claimed.grant }, created: true };
        if (spent.outcome === "inserted") return { item: renderJob(spent.row, [], principal, now), created: true };
        if (spent.outcome === "duplicate_key") return replay();
        continue;
      }
      const row = jobRow({ ctx, input, riskTags, requestHash, idempotencyKey, snapshotId: active.snapshotId, evaluation });
      if (claim && row.state === "APPROVED") {
        const claimed = claimedAtSubmission(row);
        const outcome = await insertSubmitted(ctx.query, claimed, evaluation);
        if (outcome === "inserted") return { item: { ...renderJob(claimed, [], principal, now), grant: executionGrant(claimed) }, created: true };
        if (outcome === "duplicate_key") return replay();
        continue;
      }
      // The common path: one statement, one round trip. A gated job a live standing approval covers is
      // approved at submission instead (standing/use.ts): the statement finds the grant and inserts nothing.
      let outcome = await insertSubmitted(ctx.query, row, evaluation, { standing: standingApplies(evaluation) });
      if (outcome === "standing") {
        const standing = await submitWithStanding(ctx, row, evaluation);
        if (standing.outcome === "inserted") return { item: renderJob(standing.row, [], principal, now), created: true };
        // The grant ended meanwhile: the job waits for people as usual.
        outcome = standing.outcome === "none" ? await insertSubmitted(ctx.query, row, evaluation) : standing.outcome;
      }
      if (outcome === "inserted") return { item: renderJob(row, [], principal, now), created: true };
      if (outcome === "duplicate_key") return replay();
    }
    throw new Conflict("policy_changing", "The policy changed several times while this job was submitted; retry.");
  } catch (err) {
    // Whatever failed, the next submission reads the active snapshot afresh: a guess that broke this one
    // (or was merely stale) must not break every later one until the instance restarts.
    forgetActive(tenantId);
    throw err;
  }
}
