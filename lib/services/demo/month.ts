import "server-only";
import { sql } from "drizzle-orm";
import type { DbHandle } from "@/lib/db/client";
import { auditEvents, decisions, jobs, votes, type JobRow } from "@/lib/db/schema";
import { evaluate } from "@/lib/policy/evaluate";
import { canonicalJson } from "@/lib/policy/snapshot";
import { sha256Hex } from "@/lib/sha256";
import { auditRow } from "@/lib/services/audit/chain";
import { actorOf, contextOf, type Principal } from "@/lib/services/context";
import { SLA_ACTOR, eligibleRoles } from "@/lib/services/jobs/state";
import { jobRow } from "@/lib/services/jobs/submit";
import { activePolicy } from "@/lib/services/policy/active";
import { randomJob, type Rng } from "./jobs";
import { planOutcome, type PlannedOutcome, type Voter } from "./month-plan";

const MIN = 60_000;
const DAY = 86_400_000;
const CHUNK = 250;

/** A small seeded generator (mulberry32): the same month every time, no dependency. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Audit = ReturnType<typeof auditRow>;

interface Built {
  job: JobRow;
  tally: { userId: string; vote: string; roles: string[] }[];
  decision: typeof decisions.$inferInsert;
  votes: (typeof votes.$inferInsert)[];
  audit: Audit[];
}

/**
 * A month of decided history before `until`, written in bulk (a few statements per 250 jobs rather
 * than a transaction per step): weekdays busy from 8 to 18 UTC, weekends quiet; 16 to 12 days ago
 * on-call was away and production changes breached their SLA. Every row is what the services would
 * have written, audit events included (with their MACs, so the chain verifies).
 */
export async function seedMonth(database: DbHandle, args: { agent: Principal; voters: Voter[]; until: Date; days?: number }): Promise<number> {
  const rng = seededRng(20_240_611);
  const tenantId = args.agent.tenantId;
  const active = await activePolicy(database.db, tenantId);
  const built: Built[] = [];
  const today = Date.UTC(args.until.getUTCFullYear(), args.until.getUTCMonth(), args.until.getUTCDate());
  for (let back = args.days ?? 30; back >= 1; back--) {
    const day = today - back * DAY;
    const weekday = ![0, 6].includes(new Date(day).getUTCDay());
    const spell = back >= 12 && back <= 16;
    const count = weekday ? 20 + Math.floor(rng() * 12) : 2 + Math.floor(rng() * 4);
    for (let i = 0; i < count; i++) {
      const at = day + (weekday ? 8 * 60 + rng() * 600 : 10 * 60 + rng() * 360) * MIN;
      if (at >= args.until.getTime() - 60 * MIN) continue;
      const opts = { away: new Set(spell ? ["omar@demo.example"] : []), slowdown: spell ? 5 : 1 };
      const job = buildJob(rng, database, args, active, new Date(Math.floor(at)), opts);
      // Nothing in this month may end after it (a cutoff can reach past `until`): such a job is left out.
      if (job.job.updatedAt.getTime() < args.until.getTime()) built.push(job);
    }
  }
  built.sort((a, b) => a.job.createdAt.getTime() - b.job.createdAt.getTime());
  const audit = built.flatMap((b) => b.audit).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  await database.db.transaction(async (tx) => {
    for (let i = 0; i < built.length; i += CHUNK) {
      const part = built.slice(i, i + CHUNK);
      await tx.insert(jobs).values(part.map((b) => b.job));
      await tx.insert(decisions).values(part.map((b) => b.decision));
      const cast = part.flatMap((b) => b.votes);
      if (cast.length) await tx.insert(votes).values(cast);
      // The tally column is PostgreSQL's own (drizzle/0009): set it so the stored queue items count votes.
      const tallies = JSON.stringify(part.filter((b) => b.tally.length).map((b) => ({ id: b.job.id, tally: b.tally })));
      await tx.execute(sql`update ${jobs} set tally = t.tally from jsonb_to_recordset(${tallies}::jsonb) as t(id text, tally jsonb)
        where ${jobs.tenantId} = ${tenantId} and ${jobs.id} = t.id`);
    }
    for (let i = 0; i < audit.length; i += CHUNK) await tx.insert(auditEvents).values(audit.slice(i, i + CHUNK));
  });
  return built.length;
}

function buildJob(
  rng: Rng,
  database: DbHandle,
  args: { agent: Principal; voters: Voter[] },
  active: Awaited<ReturnType<typeof activePolicy>>,
  at: Date,
  opts: { away: Set<string>; slowdown: number },
): Built {
  const input = randomJob(rng);
  const riskTags = [...new Set(input.risk_tags)].sort();
  const evaluation = evaluate(active.compiled, {
    topic: input.topic, risk_tags: riskTags, title: input.title ?? null, payload: input.payload,
    labels: input.labels ?? null, requested_by: actorOf(args.agent), on_behalf_of: null,
  });
  const ctx = contextOf(database, args.agent, at);
  const requestHash = sha256Hex(canonicalJson({ ...input, risk_tags: riskTags }));
  const job = jobRow({ ctx, input, riskTags, requestHash, idempotencyKey: null, snapshotId: active.snapshotId, evaluation });
  const tenantId = job.tenantId;
  const event = (type: string, actor: string, data: Record<string, unknown>, when: number) =>
    auditRow({ tenantId, type, actor, jobId: job.id, data, at: new Date(when) });
  const audit: Audit[] = [
    event("job.submitted", job.requestedBy, { topic: job.topic, risk_tags: job.riskTags, job_hash: job.jobHash, policy_snapshot: job.policySnapshot, decision: job.decision, policy_rule_id: job.policyRuleId, state: job.state }, at.getTime()),
  ];
  const decision = {
    tenantId, jobId: job.id, cause: "submit" as const, policySnapshot: job.policySnapshot, decision: job.decision, ruleId: job.policyRuleId,
    reason: job.policyReason, matchedRules: job.matchedRules, requirements: job.requirements, constraints: job.constraints, createdAt: at,
  };
  const built: Built = { job, tally: [], decision, votes: [], audit };
  let runFrom: number | null = job.state === "APPROVED" ? at.getTime() : null;
  if (job.gated) {
    const plan: PlannedOutcome = planOutcome(
      rng,
      { topic: job.topic, createdAt: at.getTime(), dueAt: job.dueAt?.getTime() ?? null, expiresAt: job.expiresAt!.getTime(), onTimeout: job.onTimeout ?? "escalate", requirements: job.requirements },
      args.voters,
      opts,
    ) ?? { votes: [], resolution: "expired", resolvedAt: job.expiresAt!.getTime(), resolvedBy: null, escalatedAt: job.onTimeout === "escalate" ? (job.dueAt?.getTime() ?? null) : null };
    if (plan.escalatedAt !== null) {
      audit.push(event("job.escalated", SLA_ACTOR, { due_at: job.dueAt?.toISOString() ?? null, escalate_to: job.escalateTo }, plan.escalatedAt));
      Object.assign(job, { escalated: true, eligibleRoles: eligibleRoles(job.requirements, true) });
    }
    let approvals = 0;
    for (const v of plan.votes) {
      if (v.vote === "approve") approvals += 1;
      built.tally.push({ userId: v.voter.id, vote: v.vote, roles: v.voter.roles });
      built.votes.push({ tenantId, jobId: job.id, userId: v.voter.id, userEmail: v.voter.email, vote: v.vote, roles: v.voter.roles, reason: v.reason, note: null, credential: null, createdAt: new Date(v.at) });
      audit.push(event("vote.cast", `user:${v.voter.email}`, { vote: v.vote, reason: v.reason, note: null, roles: v.voter.roles, approvals, credential: null }, v.at));
    }
    const last = plan.votes.at(-1);
    const resolvedAt = new Date(plan.resolvedAt);
    if (plan.resolution === "expired") {
      Object.assign(job, { state: "EXPIRED", resolution: "expired", resolvedBy: SLA_ACTOR, resolvedAt });
      audit.push(event("job.expired", SLA_ACTOR, { deadline: resolvedAt.toISOString(), on_timeout: job.onTimeout }, plan.resolvedAt));
    } else {
      const approved = plan.resolution === "approved";
      Object.assign(job, {
        state: approved ? "APPROVED" : "REJECTED", resolution: plan.resolution, resolvedBy: plan.resolvedBy,
        resolvedReason: last!.reason, resolvedNote: null, resolvedAt, approvedSnapshot: approved ? job.policySnapshot : null,
      });
      audit.push(event(approved ? "job.approved" : "job.rejected", `user:${plan.resolvedBy}`, approved ? { reason: last!.reason, policy_snapshot: job.policySnapshot } : { reason: last!.reason }, plan.resolvedAt));
      if (approved) runFrom = plan.resolvedAt;
    }
    job.updatedAt = resolvedAt;
  }
  if (runFrom !== null) {
    // The agent claims what it may run within a minute or two and reports how it went.
    const claimedAt = runFrom + (1 + rng() * 2) * MIN;
    const completedAt = claimedAt + (0.5 + rng() * 4) * MIN;
    const failed = rng() < 0.04;
    const detail = failed ? "Upstream answered 503; nothing was changed." : "Done.";
    Object.assign(job, { state: failed ? "FAILED" : "SUCCEEDED", claimedAt: new Date(claimedAt), claimedBy: job.requestedBy, completedAt: new Date(completedAt), outcomeDetail: detail, updatedAt: new Date(completedAt) });
    audit.push(event("job.claimed", job.requestedBy, { job_hash: job.jobHash, policy_snapshot: job.policySnapshot }, claimedAt));
    audit.push(event("job.completed", job.requestedBy, { outcome: failed ? "failed" : "succeeded", detail }, completedAt));
  }
  return built;
}
