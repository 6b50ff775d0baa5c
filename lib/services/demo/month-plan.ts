import type { Requirement } from "@/lib/policy/types";
import type { Rng } from "./jobs";

/**
 * How the demo team decided a month of work, as a pure plan: who voted when and what, and how each
 * gated job ended. The rhythm a manager should see on the metrics page: busy weekdays and quiet
 * weekends, one slow approver (Finn in finance takes hours where Fay takes minutes), a spell in which
 * on-call was away and production changes breached their SLA, and rejections with real reasons.
 */

export interface Voter {
  id: string;
  email: string;
  roles: string[];
  /** Median minutes from request to this person's vote. */
  minutes: number;
}

export interface PlannedVote {
  voter: Voter;
  vote: "approve" | "reject";
  reason: string;
  at: number;
}

export interface PlannedOutcome {
  votes: PlannedVote[];
  resolution: "approved" | "rejected" | "expired";
  resolvedAt: number;
  resolvedBy: string | null;
  escalatedAt: number | null;
}

export interface GatedJob {
  topic: string;
  createdAt: number;
  dueAt: number | null;
  expiresAt: number;
  onTimeout: "escalate" | "reject";
  requirements: Requirement[];
}

const MIN = 60_000;

/** Reasons reviewers gave, by the kind of work (the console's presets and what people type). */
const APPROVALS: Record<string, string[]> = {
  deploy: ["rollback plan verified", "canary dashboards are clean", "change reviewed in the ticket"],
  config: ["within the agreed limits", "matches the incident follow-up", "traffic forecast supports it"],
  db: ["runs outside peak hours", "index built concurrently: no lock", "migration reviewed"],
  payment: ["amount matches invoice", "invoice approved by the budget owner", "duplicate charge confirmed"],
  access: ["read-only and time-boxed", "tied to an open incident", "least privilege"],
  storage: ["retention period is over", "nothing in use references it"],
};
const REJECTIONS: Record<string, string[]> = {
  deploy: ["missing rollback plan", "release freeze this week", "failing canary"],
  config: ["too large a jump: do it in steps", "no ticket linked"],
  db: ["locks a hot table at peak traffic", "no backup taken first"],
  payment: ["amount does not match invoice", "bank details changed recently", "no purchase order"],
  access: ["access too broad for the task", "no incident linked"],
  storage: ["retention period not over", "legal hold on this bucket"],
};

const kindOf = (topic: string) => topic.split(".")[1] ?? "deploy";
const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length) % items.length]!;

/** A right-skewed delay around `median` minutes, as response times are. */
function delay(rng: Rng, median: number): number {
  const normal = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  return Math.max(1, median * Math.exp(0.7 * normal)) * MIN;
}

/**
 * Votes and outcome for one gated job. `away` people do not vote; `slowdown` multiplies everyone's
 * delay (the breach spell). Each requirement gets its count of distinct qualified approvers, fastest
 * first; one in nine jobs is rejected by its first reviewer instead. Past the SLA an escalating job
 * lets `escalate_to` vote too; a job that would finish past its deadline expires there.
 */
export function planOutcome(rng: Rng, job: GatedJob, people: Voter[], opts: { away: Set<string>; slowdown: number }): PlannedOutcome | null {
  const kind = kindOf(job.topic);
  const timed = (p: Voter) => ({ voter: p, at: job.createdAt + delay(rng, p.minutes * opts.slowdown) });
  const holders = (roles: string[]) => people.filter((p) => !opts.away.has(p.email) && p.roles.some((r) => roles.includes(r)));
  const escalatedAt = job.onTimeout === "escalate" && job.dueAt !== null ? job.dueAt : null;

  const chosen = new Map<string, { voter: Voter; at: number }>();
  for (const req of job.requirements) {
    let candidates = holders(req.roles).map(timed);
    // After escalation the escalate_to roles may decide too, from the moment it happened.
    if (escalatedAt !== null) {
      const late = holders(req.escalate_to).map((p) => ({ voter: p, at: escalatedAt + delay(rng, p.minutes) }));
      candidates = [...candidates, ...late];
    }
    candidates.sort((a, b) => a.at - b.at);
    const picked = candidates.filter((c) => !chosen.has(c.voter.id)).slice(0, req.count);
    if (picked.length < req.count) return null;
    for (const c of picked) {
      // A late escalate_to voter only counts once the job escalated (their `at` is after it).
      chosen.set(c.voter.id, c);
    }
  }
  const ordered = [...chosen.values()].sort((a, b) => a.at - b.at);
  const rejects = rng() < 1 / 9;
  const votes: PlannedVote[] = [];
  if (rejects) {
    // With two approvers, the second sometimes rejects after the first approved.
    const rejecter = ordered.length > 1 && rng() < 0.5 ? ordered[1]! : ordered[0]!;
    for (const c of ordered) {
      if (c.at > rejecter.at) break;
      votes.push({ voter: c.voter, vote: c === rejecter ? "reject" : "approve", reason: c === rejecter ? pick(rng, REJECTIONS[kind] ?? REJECTIONS.deploy!) : pick(rng, APPROVALS[kind] ?? APPROVALS.deploy!), at: Math.round(c.at) });
    }
  } else {
    for (const c of ordered) votes.push({ voter: c.voter, vote: "approve", reason: pick(rng, APPROVALS[kind] ?? APPROVALS.deploy!), at: Math.round(c.at) });
  }
  const last = votes.at(-1)!;
  const deadline = job.onTimeout === "reject" && job.dueAt !== null ? Math.min(job.dueAt, job.expiresAt) : job.expiresAt;
  if (last.at >= deadline) {
    const cast = votes.filter((v) => v.at < deadline);
    return { votes: cast, resolution: "expired", resolvedAt: deadline, resolvedBy: null, escalatedAt: escalatedAt !== null && escalatedAt < deadline ? escalatedAt : null };
  }
  return {
    votes,
    resolution: last.vote === "reject" ? "rejected" : "approved",
    resolvedAt: last.at,
    resolvedBy: last.voter.email,
    escalatedAt: escalatedAt !== null && escalatedAt < last.at ? escalatedAt : null,
  };
}
