import "server-only";
import { and, asc, eq, getTableColumns, gt, inArray, ne, sql, type SQL } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { auditEvents, decisions, jobs, type JobRow } from "@/lib/db/schema";
import { auditRow } from "@/lib/services/audit/chain";
import { DECISION_RANK } from "@/lib/policy/compile";
import { evaluate, type CompiledPolicy } from "@/lib/policy/evaluate";
import { stricterConstraints } from "@/lib/policy/outcome";
import type { Evaluation, Policy, Requirement } from "@/lib/policy/types";
import { expireLapsed } from "@/lib/services/jobs/deadlines";
import { votesColumn, type VoteTally } from "@/lib/services/jobs/render";
import { countApprovals, eligibleRoles, isLapsed } from "@/lib/services/jobs/state";
import { announceTransition } from "@/lib/services/jobs/transition";
import { enqueueNotifications } from "@/lib/services/outbox/notify";
import { compiledFor } from "./active";

export const POLICY_ACTOR = "system:policy";

/** What a new policy re-decides (DESIGN §2): pending jobs, and approved jobs not yet claimed. */
export const REDECIDED_STATES = ["APPROVAL", "APPROVED"] as const;

export function isRedecidable(job: Pick<JobRow, "state">): boolean {
  return (REDECIDED_STATES as readonly string[]).includes(job.state);
}

/** The snapshot a job is re-decided under, compiled, and the moment. */
export interface Redecision {
  snapshotId: string;
  compiled: CompiledPolicy;
  now: Date;
}

const key = (r: Requirement) => `${r.rule_id}|${[...r.roles].sort().join(",")}`;

/**
 * The union of two requirement lists: one requirement per rule and roles, with the stricter (larger)
 * count and both escalation targets, so a rule whose count changed never shows as two lines.
 */
export function unionRequirements(a: Requirement[], b: Requirement[]): Requirement[] {
  const merged = new Map<string, Requirement>();
  for (const r of [...a, ...b]) {
    const had = merged.get(key(r));
    merged.set(
      key(r),
      had ? { ...had, count: Math.max(had.count, r.count), escalate_to: [...new Set([...had.escalate_to, ...r.escalate_to])] } : r,
    );
  }
  return [...merged.values()];
}

const UNRESOLVED = { resolution: null, resolvedBy: null, resolvedReason: null, resolvedNote: null, resolvedAt: null } as const;

/**
 * The stricter of the job's old outcome and `ev` (DESIGN §2), as a change to its row. Deny beats all.
 * Otherwise the stronger decision names the outcome (on a weaker one the job keeps what it had: a gate
 * once raised stays), constraints only tighten, and requirements are the union, re-counted from the
 * votes already cast. An approved job stays approved only if every requirement is still met; it then
 * stands under the new snapshot (`approvedSnapshot` moves with `policySnapshot`). Otherwise it waits for
 * people again with its votes kept, and `approvedSnapshot` keeps naming the approval that no longer
 * stands (a claim answers `stale_snapshot` for it).
 */
function stricterOutcome(job: JobRow, ev: Evaluation, votes: VoteTally[], { snapshotId, now }: Redecision): Partial<JobRow> {
  const named = { policyRuleId: ev.rule_id, policyReason: ev.reason, matchedRules: ev.matched_rules, summary: ev.summary };
  if (ev.decision === "deny") {
    return { ...UNRESOLVED, ...named, state: "DENIED", decision: "deny", policySnapshot: snapshotId, resolvedBy: POLICY_ACTOR, resolvedAt: now };
  }
  const stronger = DECISION_RANK[ev.decision] >= DECISION_RANK[job.decision];
  const common: Partial<JobRow> = {
    ...(stronger ? { ...named, decision: ev.decision } : {}),
    policySnapshot: snapshotId,
    constraints: stricterConstraints(job.constraints, ev.constraints),
  };
  const approved = job.state === "APPROVED";
  if (ev.decision !== "require_approval") return approved ? { ...common, approvedSnapshot: snapshotId } : common;

  const requirements = unionRequirements(job.requirements, ev.requirements);
  // Deadlines keep the stricter too: the earlier of the old and the new due time and cutoff, from
  // created_at (a job that never waited has none of its own).
  const created = job.createdAt.getTime();
  const newExpires = new Date(created + ev.cutoff_sec * 1000);
  const expiresAt = job.expiresAt && job.expiresAt < newExpires ? job.expiresAt : newExpires;
  const newDue = ev.sla_sec === null ? expiresAt : new Date(Math.min(created + ev.sla_sec * 1000, expiresAt.getTime()));
  const dueAt = job.dueAt && job.dueAt < newDue ? job.dueAt : newDue;
  const gate: Partial<JobRow> = {
    ...common,
    gated: true,
    requirements,
    eligibleRoles: eligibleRoles(requirements, job.escalated),
    escalateTo: [...new Set([...job.escalateTo, ...ev.escalate_to])].sort(),
    dueAt,
    expiresAt,
    onTimeout: job.onTimeout === "reject" || ev.on_timeout === "reject" ? "reject" : "escalate",
  };
  if (!approved) return gate;
  const approvals = countApprovals(requirements, votes, job.escalated);
  if (requirements.every((r, i) => (approvals[i] ?? 0) >= r.count)) return { ...gate, approvedSnapshot: snapshotId };
  return { ...gate, ...UNRESOLVED, state: "APPROVAL" };
}

/** One open job's re-decision: expired instead when its deadline had already passed (`ev` null). */
type Plan = { job: JobRow; ev: null } | { job: JobRow; ev: Evaluation; after: JobRow; data: Record<string, unknown> };

function planFor(job: JobRow, votes: VoteTally[], r: Redecision): Plan {
  // Past its deadline a job is EXPIRED for every reader, swept or not: a new policy cannot turn that
  // history into a denial or a fresh wait. The expiry is persisted instead.
  if (isLapsed(job, r.now)) return { job, ev: null };
  const ev = evaluate(r.compiled, {
    topic: job.topic,
    risk_tags: job.riskTags,
    title: job.title,
    payload: job.payload,
    labels: job.labels,
    requested_by: job.requestedBy,
    on_behalf_of: job.onBehalfOf,
  });
  const change = stricterOutcome(job, ev, votes, r);
  const after: JobRow = { ...job, ...change, updatedAt: r.now };
  const data: Record<string, unknown> = { policy_snapshot: r.snapshotId, decision: ev.decision, rule_id: ev.rule_id, state: after.state };
  if (change.requirements) data.requirements = change.requirements;
  return { job, ev, after, data };
}

// What a re-decision may change on a job row, written for many rows by one statement (the values
// travel as one JSON parameter, typed as the columns are).
const WRITTEN = [
  "state", "decision", "policyRuleId", "policyReason", "matchedRules", "summary", "policySnapshot", "constraints",
  "approvedSnapshot", "gated", "requirements", "eligibleRoles", "escalateTo", "dueAt", "expiresAt", "onTimeout",
  "resolution", "resolvedBy", "resolvedReason", "resolvedNote", "resolvedAt", "updatedAt",
] as const satisfies readonly (keyof JobRow)[];
const COLUMNS = WRITTEN.map((field) => [field, getTableColumns(jobs)[field]] as const);
const SET = sql.raw(COLUMNS.map(([, c]) => `"${c.name}" = c."${c.name}"`).join(", "));
const RECORD = sql.raw(["id text", ...COLUMNS.map(([, c]) => `"${c.name}" ${c.getSQLType()}`)].join(", "));

function writeRows(tenantId: string, rows: JobRow[]): SQL {
  const values = rows.map((row) => Object.fromEntries([["id", row.id], ...COLUMNS.map(([field, c]) => [c.name, row[field]])]));
  return sql`update jobs set ${SET} from jsonb_to_recordset(${JSON.stringify(values)}::jsonb) as c(${RECORD})
    where jobs.tenant_id = ${tenantId} and jobs.id = c.id`;
}

/**
 * Apply the plans of row-locked jobs of one tenant: each re-decision's decision-log entry (cause
 * policy_change), its row and its audit event, each kind in one statement for all of them (an
 * activation re-decides every open job of the tenant while submissions wait), then what a change of
 * state sends along, job by job. A job whose stricter deadline has already passed expires rather than
 * waiting again. Answers each job as it now stands.
 */
async function applyPlans(tx: Db, tenantId: string, plans: Plan[], now: Date): Promise<JobRow[]> {
  const decided = plans.filter((p): p is Extract<Plan, { after: JobRow }> => p.ev !== null);
  if (decided.length > 0) {
    await tx.insert(decisions).values(
      decided.map(({ job, ev, after }) => ({
        tenantId,
        jobId: job.id,
        cause: "policy_change" as const,
        policySnapshot: after.policySnapshot,
        decision: ev.decision,
        ruleId: ev.rule_id,
        reason: ev.reason,
        matchedRules: ev.matched_rules,
        requirements: ev.requirements,
        constraints: ev.constraints,
        createdAt: now,
      })),
    );
    await tx.execute(writeRows(tenantId, decided.map((p) => p.after)));
    // The events appendAudit would write one by one, in one statement; sealed after commit.
    await tx.insert(auditEvents).values(
      decided.map(({ job, data }) => auditRow({ tenantId, type: "job.redecided", actor: POLICY_ACTOR, jobId: job.id, data, at: now })),
    );
  }
  const out: JobRow[] = [];
  for (const plan of plans) {
    if (plan.ev === null) {
      out.push(await expireLapsed(tx, plan.job, now));
      continue;
    }
    let row = plan.after;
    await announceTransition(tx, plan.job, row, { type: "job.redecided", actor: POLICY_ACTOR, data: plan.data, at: now });
    if (isLapsed(row, now)) row = await expireLapsed(tx, row, now);
    // Approved work that waits for people again is news to them, as a new pending job is.
    else if (plan.job.state === "APPROVED" && row.state === "APPROVAL") await enqueueNotifications(tx, row, "job.pending", now);
    out.push(row);
  }
  return out;
}

/**
 * Re-decide one row-locked job under `r` (the tenant's active snapshot), inside the caller's
 * transaction: what an activation does for every open job, for a claim that finds its job still under
 * an earlier snapshot. A job in another state, or already under this snapshot, is returned as it is.
 */
export async function redecideJob(tx: Db, job: JobRow, votes: VoteTally[], r: Redecision): Promise<JobRow> {
  if (!isRedecidable(job) || job.policySnapshot === r.snapshotId) return job;
  const [row] = await applyPlans(tx, job.tenantId, [planFor(job, votes, r)], r.now);
  return row!;
}

const CHUNK = 500;

/**
 * A new active policy re-decides the tenant's open jobs (pending, and approved but unclaimed), in the
 * activation's transaction, each under its row lock (taken in id order, a chunk at a time). Answers
 * how many were re-decided (jobs that had already lapsed are expired, not counted).
 */
export async function redecideTenant(
  tx: Db,
  args: { tenantId: string; snapshotId: string; policy: Policy; now: Date },
): Promise<number> {
  const { tenantId, snapshotId, policy, now } = args;
  const r: Redecision = { snapshotId, compiled: compiledFor(snapshotId, policy), now };
  const isOpen = and(eq(jobs.tenantId, tenantId), inArray(jobs.state, [...REDECIDED_STATES]), ne(jobs.policySnapshot, snapshotId));
  let redecided = 0;
  for (let after = ""; ; ) {
    // With their tallies: as locked, no vote can be added to them until this transaction ends.
    const chunk = await tx.select({ job: jobs, votes: votesColumn }).from(jobs).where(and(isOpen, gt(jobs.id, after))).orderBy(asc(jobs.id)).limit(CHUNK).for("update");
    if (chunk.length === 0) return redecided;
    const plans = chunk.map(({ job, votes }) => planFor(job, votes, r));
    await applyPlans(tx, tenantId, plans, now);
    redecided += plans.filter((p) => p.ev !== null).length;
    after = chunk.at(-1)!.job.id;
  }
}
