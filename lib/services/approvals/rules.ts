import type { JobRow } from "@/lib/db/schema";
import { eligibleRoles, isSelf } from "@/lib/services/jobs/state";

// The voting rule, pure (no I/O, no server imports): the vote (planVote), the rendering (refusalFor,
// can_act) and the console (wouldResolve) all decide here. Its SQL twin is `refusalForSql` (rules-sql.ts).

export type VoteKind = "approve" | "reject";

/** A vote as the rules count it: who, which way, with which roles. */
export interface CountedVote {
  userId: string;
  vote: VoteKind;
  roles: string[];
}

/** What the rules look at once the clock has been applied (see `currentView`, `isEscalated`). */
export interface VoteFacts extends Pick<JobRow, "state" | "resolvedBy" | "resolvedAt" | "onBehalfOf" | "submitterEmail" | "requirements"> {
  escalated: boolean;
  /** `agent:<name>` or `user:<email>`: says which kind of own request a self-approval refusal is. */
  requestedBy?: string;
}

/** Which of the three own-request cases applies, in words (the voter is `email`). */
function ownRequest(f: VoteFacts | undefined, email: string | undefined): string {
  const e = email?.toLowerCase();
  if (f && e && f.onBehalfOf?.toLowerCase() === e) return "it was made on your behalf";
  if (f?.requestedBy?.startsWith("agent:")) return `it was made by ${f.requestedBy.slice(6)}, an agent you answer for`;
  if (f?.requestedBy) return "it was made by you";
  return "it was made by you, on your behalf, or by an agent you answer for";
}

/** Who asks to vote: a principal as far as the rules need it. */
export interface Asker {
  kind: "user" | "agent" | "admin";
  scopes: ReadonlySet<string>;
  userId?: string;
  email?: string;
  roles?: string[];
}

/** The voter's own row as it stands (re-read when the vote is written). */
export interface VoterRow {
  id: string;
  email: string;
  roles: string[];
}

export interface Refusal {
  code: RefusalCode;
  status: 403 | 409;
  message: string;
}

// The one message table: what a refused voter is told, by the API and on the job's page alike.
const REFUSALS = {
  agent_cannot_resolve: [403, () => "Only a person can approve or reject; agents and service tokens cannot."],
  insufficient_scope: [403, () => "This needs the approvals:resolve scope."],
  expired: [409, () => "This request expired before anyone decided it."],
  already_resolved: [409, (f: VoteFacts) => `This request is already ${f.state.toLowerCase()}${f.resolvedBy ? ` by ${f.resolvedBy}` : ""}${f.resolvedAt ? ` at ${f.resolvedAt.toISOString()}` : ""}.`],
  self_approval: [403, (f: VoteFacts, _r: string[], _m?: CountedVote, email?: string) => `You cannot decide this request: ${ownRequest(f, email)}.`],
  role_required: [403, (f: VoteFacts, roles: string[]) => `This needs one of these roles: ${eligibleRoles(f.requirements, f.escalated).join(", ") || "(none)"}. Yours: ${roles.length ? roles.join(", ") : "none"}.`],
  already_voted: [409, (_f: VoteFacts, _roles: string[], mine?: CountedVote) => `You already voted to ${mine?.vote ?? "decide"} this request; it now needs someone else.`],
} as const;

export type RefusalCode = keyof typeof REFUSALS;

function refuse(code: RefusalCode, facts?: VoteFacts, roles: string[] = [], mine?: CountedVote, email?: string): Refusal {
  const [status, message] = REFUSALS[code];
  return { code, status, message: (message as (f?: VoteFacts, r?: string[], m?: CountedVote, e?: string) => string)(facts, roles, mine, email) };
}

/** Whether the asker could vote on anything at all: a person holding approvals:resolve. */
export function standingRefusal(asker: Asker): Refusal | null {
  if (asker.kind !== "user") return refuse("agent_cannot_resolve");
  if (!asker.scopes.has("approvals:resolve")) return refuse("insufficient_scope");
  return null;
}

/** Whether the asker could vote on anything: no standing refusal, and some role to vote with. */
export function mayVoteAtAll(asker: Asker): boolean {
  return standingRefusal(asker) === null && (asker.roles?.length ?? 0) > 0;
}

/** Whether the job still takes votes. */
export function pendingRefusal(facts: VoteFacts): Refusal | null {
  if (facts.state === "EXPIRED") return refuse("expired", facts);
  if (facts.state !== "APPROVAL") return refuse("already_resolved", facts);
  return null;
}

/** Whether this voter may vote on this pending job: not their own request, a role it needs, not twice. */
export function voterRefusal(facts: VoteFacts, votes: readonly CountedVote[], voter: VoterRow): Refusal | null {
  if (isSelf(facts, voter.email)) return refuse("self_approval", facts, voter.roles, undefined, voter.email);
  const allowed = eligibleRoles(facts.requirements, facts.escalated);
  if (!voter.roles.some((r) => allowed.includes(r))) return refuse("role_required", facts, voter.roles);
  const mine = votes.find((v) => v.userId === voter.id);
  if (mine) return refuse("already_voted", facts, voter.roles, mine);
  return null;
}

/** Why this asker may not vote on the job, given the facts at `now`; null when they may. */
export function refusalFor(facts: VoteFacts, votes: readonly CountedVote[], asker: Asker): Refusal | null {
  const standing = standingRefusal(asker);
  if (standing) return standing;
  const pending = pendingRefusal(facts);
  if (pending) return pending;
  return voterRefusal(facts, votes, { id: asker.userId ?? "", email: asker.email ?? "", roles: asker.roles ?? [] });
}

/** A requirement as it stands: its roles at this escalation, how many approvals it needs and has. */
export interface RequirementStanding {
  roles: string[];
  count: number;
  approvals: number;
}

/**
 * What a vote would change: the approvals each requirement would then count (an approve counts toward
 * every requirement one of the voter's roles qualifies for), and the state it would decide the job
 * into (a reject always decides; an approve when every requirement is then met), or null.
 */
export function voteOutcome(
  requirements: readonly RequirementStanding[],
  voterRoles: readonly string[],
  vote: VoteKind,
): { approvals: number[]; decides: "APPROVED" | "REJECTED" | null } {
  const approvals = requirements.map((r) => r.approvals + (vote === "approve" && r.roles.some((x) => voterRoles.includes(x)) ? 1 : 0));
  if (vote === "reject") return { approvals, decides: "REJECTED" };
  return { approvals, decides: requirements.every((r, i) => approvals[i]! >= r.count) ? "APPROVED" : null };
}
