import { sql } from "drizzle-orm";
import { requireScope } from "@/lib/auth/authenticate";
import type { Db } from "@/lib/db/client";
import { jobRowColumns, runSql, txRows } from "@/lib/db/raw-sql";
import type { JobRow } from "@/lib/db/schema";
import { actorOf, credentialOf, type Ctx, type Principal } from "@/lib/services/context";
import { Conflict, Forbidden, NotFound, Unauthenticated } from "@/lib/services/errors";
import { FinalWrite, withLockedJob } from "@/lib/services/jobs/locked";
import { renderJob, type VoteTally } from "@/lib/services/jobs/render";
import { countApprovals, eligibleRoles, isEscalated, isEscalationDue, isLapsed, isSelf } from "@/lib/services/jobs/state";
import type { ResolveBody } from "./schemas";
import { voteStatement, type VoteGuard, type VoteWrite } from "./write-vote";

export type VoteKind = "approve" | "reject";

type Voter = { id: string; email: string; roles: string[]; disabled: boolean };

function notPending(job: JobRow): Conflict {
  if (job.state === "EXPIRED") return new Conflict("expired", "The job expired before this vote.");
  const by = job.resolvedBy ? ` by ${job.resolvedBy}` : "";
  const when = job.resolvedAt ? ` at ${job.resolvedAt.toISOString()}` : "";
  return new Conflict("already_resolved", `The job is already ${job.state}${by}${when}.`);
}

/**
 * Who may vote at all, checked before the scope: an agent (or the installation admin token) is told
 * `agent_cannot_resolve`, since it can never hold approvals:resolve; a person without the scope is
 * told `insufficient_scope`.
 */
export function assertMayResolve(principal: Principal): asserts principal is Extract<Principal, { kind: "user" }> {
  if (principal.kind !== "user") {
    throw new Forbidden("agent_cannot_resolve", "Only a person can approve or reject; agents and service tokens cannot.");
  }
  requireScope(principal, "approvals:resolve");
}

interface VoteRequest {
  ctx: Ctx;
  vote: VoteKind;
  input: ResolveBody;
}

/**
 * The vote on `job` (pending, time already applied) given the votes before it and the voter's current
 * row: what to write and what the job becomes, or the refusal, thrown. Both ways of casting a vote
 * decide here.
 */
function planVote({ ctx, vote, input }: VoteRequest, job: JobRow, prior: VoteTally[], voter: Voter | undefined) {
  const { principal, now } = ctx;
  if (job.state !== "APPROVAL") throw notPending(job);
  if (input.job_hash !== undefined && input.job_hash !== job.jobHash) {
    throw new Conflict("stale_request", "The request changed since you saw it (job hash differs).");
  }
  if (input.policy_snapshot !== undefined && input.policy_snapshot !== job.policySnapshot) {
    throw new Conflict("stale_snapshot", "The policy changed since you saw this job; review it again.");
  }
  if (!voter || voter.disabled) throw new Unauthenticated("Your account is disabled.");

  if (isSelf(job, voter.email)) {
    throw new Forbidden("self_approval", "You cannot resolve a request made by you or on your behalf.");
  }
  const escalated = isEscalated(job, now);
  const allowed = eligibleRoles(job.requirements, escalated);
  if (!voter.roles.some((r) => allowed.includes(r))) {
    throw new Forbidden("role_required", `This job needs one of these roles: ${allowed.join(", ") || "(none)"}.`);
  }
  if (prior.some((v) => v.userId === voter.id)) {
    throw new Conflict("already_voted", "You have already voted on this job.");
  }

  const all = [...prior, { userId: voter.id, vote, roles: voter.roles }];
  const approvals = countApprovals(job.requirements, all, escalated);
  const met = job.requirements.every((r, i) => (approvals[i] ?? 0) >= r.count);
  const comment = input.note ? `${input.reason}\n${input.note}` : input.reason;
  const resolution: Partial<JobRow> | null =
    vote === "reject"
      ? { state: "REJECTED", resolution: "rejected", resolvedBy: voter.email, resolvedComment: comment, resolvedReason: input.reason, resolvedAt: now }
      : met
        ? {
            state: "APPROVED",
            resolution: "approved",
            resolvedBy: voter.email,
            resolvedComment: comment,
            resolvedReason: input.reason,
            resolvedAt: now,
            approvedSnapshot: job.policySnapshot,
          }
        : null;
  const write: VoteWrite = { job, voter, vote, input, approvals, resolution, tally: all, actor: actorOf(principal), credential: credentialOf(principal), now };
  return { write, result: { job: resolution ? { ...job, ...resolution, updatedAt: now } : job, votes: all } };
}

// The job with its tally and row version, and the voter's row with its version, in one read.
const READ_SQL = `
  select ${jobRowColumns.sql}, "jobs"."tally", "jobs"."xmin"::text as "row_version",
         u.id as voter_id, u.email as voter_email, u.roles as voter_roles, u.disabled as voter_disabled,
         u.xmin::text as voter_version
  from jobs left join users u on u.tenant_id = jobs.tenant_id and u.id = $3
  where jobs.tenant_id = $1 and jobs.id = $2`;

/**
 * The common case in two statements and no transaction: read the job and the voter, decide, then write
 * with one statement that first takes the same locks as `withLockedJob`, in the same order, and writes
 * only if neither row has changed since it was read (its row version, `xmin`, is the one read). A vote
 * refused on what was read is refused: what it saw had been committed. Null when the read cannot decide
 * alone (the deadline has passed or the job is due to escalate: time is applied under the lock) or when
 * a row changed in between (another vote, a sweep, a policy activation, a role change): the caller then
 * votes under the lock.
 */
async function castUnlocked(req: VoteRequest, id: string, voterId: string) {
  const { ctx } = req;
  const [row] = await ctx.query<Record<string, unknown>>(READ_SQL, [ctx.principal.tenantId, id, voterId]);
  if (!row) throw new NotFound("job");
  const job = jobRowColumns.fromRow(row);
  if (isLapsed(job, ctx.now) || isEscalationDue(job, ctx.now)) return null;
  const voter =
    row.voter_id === null
      ? undefined
      : { id: row.voter_id as string, email: row.voter_email as string, roles: row.voter_roles as string[], disabled: row.voter_disabled as boolean };
  const { write, result } = planVote(req, job, row.tally as VoteTally[], voter);
  const guard: VoteGuard = { jobVersion: row.row_version as string, voterVersion: row.voter_version as string };
  const [written] = await runSql<{ applied: number | string }>(ctx.query, voteStatement({ ...write, guard }));
  return Number(written?.applied) === 1 ? result : null;
}

/**
 * Cast one vote. Everything is decided on the job and the voter's user row as they stand when the vote
 * is written: first without a transaction (castUnlocked), and if a row moved meanwhile, on the
 * row-locked job, so concurrent votes queue on the lock and a role removed before commit is honoured.
 */
export async function resolveVote({ ctx, id, vote, input }: { ctx: Ctx; id: string; vote: VoteKind; input: ResolveBody }) {
  const { principal, now } = ctx;
  assertMayResolve(principal);
  const req = { ctx, vote, input };

  // Re-read the voter under a share lock, in the same pipeline as the job lock: a role change commits
  // before us or waits for us.
  const readVoter = (tx: Db) =>
    txRows<Voter>(tx, sql`select id, email, roles, disabled from users where tenant_id = ${principal.tenantId} and id = ${principal.userId} for share`);

  const result =
    (await castUnlocked(req, id, principal.userId)) ??
    (await withLockedJob(ctx, id, async (_tx, job, prior, voters) => {
      const { write, result } = planVote(req, job, prior, voters?.[0]);
      return new FinalWrite(result, voteStatement(write));
    }, readVoter));

  const item = renderJob(result.job, result.votes, principal, now);
  const missing = item.requirements
    .filter((r) => r.approvals < r.count)
    .map((r) => ({ rule_id: r.rule_id, roles: r.roles, needed: r.count - r.approvals }));
  return { ...item, vote: { vote, reason: input.reason, note: input.note ?? null }, missing: item.job.state === "APPROVAL" ? missing : [] };
}
