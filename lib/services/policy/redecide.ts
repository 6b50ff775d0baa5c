import { and, asc, eq } from "drizzle-orm";
import type { Db } from "@/lib/db/client";
import { decisions, jobs } from "@/lib/db/schema";
import { evaluate } from "@/lib/policy/evaluate";
import type { Policy, Requirement } from "@/lib/policy/types";
import { expireLapsed } from "@/lib/services/jobs/deadlines";
import { eligibleRoles, isLapsed } from "@/lib/services/jobs/state";
import { transitionJob } from "@/lib/services/jobs/transition";
import { compiledFor } from "./active";

export const POLICY_ACTOR = "system:policy";

const key = (r: Requirement) => `${r.rule_id}|${[...r.roles].sort().join(",")}|${r.count}`;

function unionRequirements(a: Requirement[], b: Requirement[]): Requirement[] {
  const seen = new Map(a.map((r) => [key(r), r]));
  for (const r of b) if (!seen.has(key(r))) seen.set(key(r), r);
  return [...seen.values()];
}

/**
 * A new policy re-decides every pending job: the job keeps the stricter of its old and new outcome
 * (deny beats all, requirements are the union, votes already cast keep counting where they
 * qualify), the new decision joins its log, and its snapshot becomes the new one.
 */
export async function redecidePending(
  tx: Db,
  args: { tenantId: string; snapshotId: string; policy: Policy; now: Date },
): Promise<number> {
  const { tenantId, snapshotId, policy, now } = args;
  const compiled = compiledFor(snapshotId, policy);
  const pending = await tx
    .select()
    .from(jobs)
    .where(and(eq(jobs.tenantId, tenantId), eq(jobs.state, "APPROVAL")))
    .orderBy(asc(jobs.id))
    .for("update");

  let redecided = 0;
  for (const job of pending) {
    // Past its deadline a job is EXPIRED for every reader, swept or not: a new policy cannot turn that
    // history into a denial or a fresh wait. Persist the expiry instead.
    if (isLapsed(job, now)) {
      await expireLapsed(tx, job, now);
      continue;
    }
    redecided += 1;
    const ev = evaluate(compiled, { topic: job.topic, risk_tags: job.riskTags, title: job.title });
    await tx.insert(decisions).values({
      tenantId,
      jobId: job.id,
      cause: "policy_change",
      policySnapshot: snapshotId,
      decision: ev.decision,
      ruleId: ev.rule_id,
      reason: ev.reason,
      matchedRules: ev.matched_rules,
      requirements: ev.requirements,
      constraints: ev.constraints,
      createdAt: now,
    });
    const audit = { type: "job.redecided", actor: POLICY_ACTOR, data: { policy_snapshot: snapshotId, decision: ev.decision, rule_id: ev.rule_id }, at: now };
    if (ev.decision === "deny") {
      await transitionJob(
        tx,
        job,
        {
          state: "DENIED",
          decision: "deny",
          policyRuleId: ev.rule_id,
          policyReason: ev.reason,
          matchedRules: ev.matched_rules,
          summary: ev.summary,
          policySnapshot: snapshotId,
          resolvedBy: POLICY_ACTOR,
          resolvedAt: now,
        },
        audit,
      );
    } else if (ev.decision === "require_approval") {
      const requirements = unionRequirements(job.requirements, ev.requirements);
      // Deadlines keep the stricter too: the earlier of the old and the new due time and cutoff.
      const created = job.createdAt.getTime();
      const newExpires = new Date(created + ev.cutoff_sec * 1000);
      const expiresAt = job.expiresAt && job.expiresAt < newExpires ? job.expiresAt : newExpires;
      const newDue = ev.sla_sec === null ? expiresAt : new Date(Math.min(created + ev.sla_sec * 1000, expiresAt.getTime()));
      const dueAt = job.dueAt && job.dueAt < newDue ? job.dueAt : newDue;
      await transitionJob(
        tx,
        job,
        {
          policyRuleId: ev.rule_id,
          policyReason: ev.reason,
          matchedRules: ev.matched_rules,
          summary: ev.summary,
          requirements,
          eligibleRoles: eligibleRoles(requirements, job.escalated),
          escalateTo: [...new Set([...job.escalateTo, ...ev.escalate_to])].sort(),
          dueAt,
          expiresAt,
          onTimeout: job.onTimeout === "reject" || ev.on_timeout === "reject" ? "reject" : "escalate",
          policySnapshot: snapshotId,
        },
        { ...audit, data: { ...audit.data, requirements } },
      );
    } else {
      // A gate once raised is never lowered: the job stays pending under its old requirements.
      await transitionJob(tx, job, { policySnapshot: snapshotId }, audit);
    }
  }
  return redecided;
}
