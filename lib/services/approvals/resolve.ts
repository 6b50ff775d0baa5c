import "server-only";
import { sql } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { jobRowColumns, runSql, statement, txRows } from "@/lib/db/raw-sql";
import { jobs, jobsTally, users, type JobRow } from "@/lib/db/schema";
import { actorOf, credentialOf, type Ctx, type Principal } from "@/lib/services/context";
import { Conflict, Forbidden, NotFound, Unauthenticated } from "@/lib/services/errors";
import { FinalWrite, withLockedJob } from "@/lib/services/jobs/locked";
import { renderJob, renderRequirements, type VoteTally } from "@/lib/services/jobs/render";
import { isEscalated, isEscalationDue, isLapsed } from "@/lib/services/jobs/state";
import { pendingRefusal, standingRefusal, voteOutcome, voterRefusal, type Refusal, type VoteKind } from "./rules";
import { grantStanding } from "@/lib/services/standing/grant";
import type { StandingItem } from "@/lib/services/standing/render";
import type { ApproveBody, ResolveBody } from "./schemas";
import { voteStatement, type VoteGuard, type VoteWrite } from "./write-vote";

export type { VoteKind } from "./rules";

type Voter = { id: string; email: string; roles: string[]; disabled: boolean };

/** A refusal of the voting rules (rules.ts), as the error the API answers with. */
function refused(r: Refusal): Error {
  return r.status === 403 ? new Forbidden(r.code, r.message) : new Conflict(r.code, r.message);
}

/**
 * Who may vote at all, checked before the scope: an agent (or the installation admin token) is told
 * `agent_cannot_resolve`, since it can never hold approvals:resolve; a person without the scope is
 * told `insufficient_scope`.
 */
export function assertMayResolve(principal: Principal): asserts principal is Extract<Principal, { kind: "user" }> {
  const refusal = standingRefusal(principal);
  if (refusal) throw refused(refusal);
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
  const escalated = isEscalated(job, now);
  const facts = { ...job, escalated };
  const pending = pendingRefusal(facts);
  if (pending) throw refused(pending);
  if (input.job_hash !== undefined && input.job_hash !== job.jobHash) {
    throw new Conflict("stale_request", "The request changed since you saw it (job hash differs).");
  }
  if (input.policy_snapshot !== undefined && input.policy_snapshot !== job.policySnapshot) {
    throw new Conflict("stale_snapshot", "The policy changed since you saw this job; review it again.");
  }
  if (!voter || voter.disabled) throw new Unauthenticated("Your account is disabled.");
  const refusal = voterRefusal(facts, prior, voter);
  if (refusal) throw refused(refusal);

  const all = [...prior, { userId: voter.id, vote, roles: voter.roles }];
  const { approvals, decides } = voteOutcome(renderRequirements(job.requirements, prior, escalated), voter.roles, vote);
  const resolution: Partial<JobRow> | null =
    decides === "REJECTED"
      ? { state: "REJECTED", resolution: "rejected", resolvedBy: voter.email, resolvedReason: input.reason, resolvedNote: input.note || null, resolvedAt: now }
      : decides === "APPROVED"
        ? {
            state: "APPROVED",
            resolution: "approved",
            resolvedBy: voter.email,
            resolvedReason: input.reason,
            resolvedNote: input.note || null,
            resolvedAt: now,
            approvedSnapshot: job.policySnapshot,
          }
        : null;
  const write: VoteWrite = { job, voter, vote, input, approvals, resolution, tally: all, actor: actorOf(principal), credential: credentialOf(principal), now };
  return { write, result: { job: resolution ? { ...job, ...resolution, updatedAt: now } : job, votes: all } };
}

// The job with its tally and row version, and the voter's row with its version, in one read.
const READ = statement<"tenant" | "job" | "voter">(
  (slot) => sql`
  select ${sql.raw(jobRowColumns.sql)}, ${jobsTally} as tally, ${jobs}.xmin::text as row_version,
         ${users.id} as voter_id, ${users.email} as voter_email, ${users.roles} as voter_roles,
         ${users.disabled} as voter_disabled, ${users}.xmin::text as voter_version
  from ${jobs} left join ${users} on ${users.tenantId} = ${jobs.tenantId} and ${users.id} = ${slot("voter")}
  where ${jobs.tenantId} = ${slot("tenant")} and ${jobs.id} = ${slot("job")}`,
);

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
  const [row] = await ctx.query<Record<string, unknown>>(READ.sql, READ.params({ tenant: ctx.principal.tenantId, job: id, voter: voterId }));
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
export async function resolveVote({ ctx, id, vote, input }: { ctx: Ctx; id: string; vote: VoteKind; input: ResolveBody | ApproveBody }) {
  const { principal, now } = ctx;
  assertMayResolve(principal);
  const req = { ctx, vote, input };

  // Re-read the voter under a share lock, in the same pipeline as the job lock: a role change commits
  // before us or waits for us.
  const readVoter = (tx: Db) =>
    txRows<Voter>(
      tx,
      sql`select ${users.id}, ${users.email}, ${users.roles}, ${users.disabled} from ${users}
          where ${users.tenantId} = ${principal.tenantId} and ${users.id} = ${principal.userId} for share`,
    );

  // A standing approval is granted with the vote, in its transaction, so it always takes the locked path.
  const standingFor = "standing_for" in input ? input.standing_for : undefined;
  let standing: StandingItem | undefined;
  const result =
    (standingFor ? null : await castUnlocked(req, id, principal.userId)) ??
    (await withLockedJob(ctx, id, async (tx, job, prior, voters) => {
      const { write, result } = planVote(req, job, prior, voters?.[0]);
      if (standingFor) standing = await grantStanding(tx, write, standingFor);
      return new FinalWrite(result, voteStatement(write));
    }, readVoter));

  const item = renderJob(result.job, result.votes, principal, now);
  const missing = item.requirements
    .filter((r) => r.approvals < r.count)
    .map((r) => ({ rule_id: r.rule_id, roles: r.roles, needed: r.count - r.approvals }));
  const answer = { ...item, vote: { vote, reason: input.reason, note: input.note ?? null }, missing: item.job.state === "APPROVAL" ? missing : [] };
  return standing ? { ...answer, standing_approval: standing } : answer;
}
