import type { Evaluation } from "./types";

// What differs between two evaluations of one job, field by field, as text a reviewer reads: the
// impact a draft policy would have (POST /policy/simulate, DESIGN §2.1 "Check before activate").

export type ImpactField = "decision" | "requirements" | "sla" | "cutoff" | "constraints";

export interface Difference {
  field: ImpactField;
  from: string;
  to: string;
}

/** `5400` → `90m`, `7200` → `2h`: the largest unit that divides it, as policies write durations. */
export function durationText(sec: number | null): string {
  if (sec === null) return "none";
  for (const [unit, n] of [["d", 86_400], ["h", 3600], ["m", 60]] as const) if (sec % n === 0) return `${sec / n}${unit}`;
  return `${sec}s`;
}

function requirementsText(ev: Evaluation): string {
  if (ev.decision !== "require_approval" || ev.requirements.length === 0) return "none";
  return ev.requirements
    .map((r) => `${r.rule_id}: ${r.count} of ${[...r.roles].sort().join("/")}`)
    .sort()
    .join("; ");
}

function constraintsText(ev: Evaluation): string {
  const c = ev.constraints;
  if (!c) return "none";
  const parts: string[] = [];
  if (c.max_runtime_sec !== undefined) parts.push(`max_runtime ${durationText(c.max_runtime_sec)}`);
  if (c.network_allowlist !== undefined) parts.push(`network ${[...c.network_allowlist].sort().join(", ") || "(none)"}`);
  return parts.join("; ") || "none";
}

const gated = (ev: Evaluation) => ev.decision === "require_approval";

/**
 * Every difference `after` makes to `before`: the decision; for a job that needs people on either
 * side, its requirements (roles and counts), SLA and cutoff; and the constraints.
 */
export function differences(before: Evaluation, after: Evaluation): Difference[] {
  const out: Difference[] = [];
  const add = (field: ImpactField, from: string, to: string) => {
    if (from !== to) out.push({ field, from, to });
  };
  add("decision", before.decision, after.decision);
  if (gated(before) || gated(after)) {
    add("requirements", requirementsText(before), requirementsText(after));
    add("sla", durationText(gated(before) ? before.sla_sec : null), durationText(gated(after) ? after.sla_sec : null));
    add("cutoff", gated(before) ? durationText(before.cutoff_sec) : "none", gated(after) ? durationText(after.cutoff_sec) : "none");
  }
  add("constraints", constraintsText(before), constraintsText(after));
  return out;
}
