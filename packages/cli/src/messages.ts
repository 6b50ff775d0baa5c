// What the model (or Claude Code) reads when a call is not made: the decision, the reason, the job id
// and the console link, so it can adapt or tell its user whom to ask (DESIGN §7.1).
import { CountersignError, type JobItem } from "@countersign/sdk";
import { REFUSAL_MEMORY_MS, type Verdict } from "./gate.js";

export const consoleLink = (consoleUrl: string, id: string) => `${consoleUrl}/jobs/${encodeURIComponent(id)}`;

/** How the model continues: the gateway's words; the hook says "make the same call again". */
export const RETRY = "call the tool again with the same arguments to continue";

/** "1 more approval from a reviewer (rule prod-gate); 2 more from service-owner or oncall (rule x)". */
export function stillNeeded(item: JobItem): string {
  const open = item.requirements.filter((r) => r.approvals < r.count);
  if (open.length === 0) return "approval";
  return open
    .map((r) => {
      const n = r.count - r.approvals;
      return `${n} more approval${n === 1 ? "" : "s"} (${r.approvals} of ${r.count}) from ${r.roles.join(" or ")} (rule ${r.rule_id})`;
    })
    .join("; ");
}

function refusal(item: JobItem): { decision: string; reason: string } {
  switch (item.job.state) {
    case "DENIED":
      return { decision: "DENIED by policy", reason: `${item.policy_reason || "denied"} (rule ${item.policy_rule_id})` };
    case "REJECTED":
      return { decision: `REJECTED${item.resolved_by ? ` by ${item.resolved_by}` : ""}`, reason: item.resolved_comment || "no reason given" };
    case "EXPIRED":
      return { decision: "EXPIRED", reason: `nobody approved it before ${item.sla.expires_at ?? item.resolved_at ?? "its cutoff"}` };
    case "CANCELLED":
      return { decision: "CANCELLED", reason: item.resolved_comment || "the request was withdrawn" };
    default:
      return { decision: item.job.state, reason: item.policy_reason };
  }
}

function describeError(error: unknown): { decision: string; reason: string } {
  if (error instanceof CountersignError) {
    if (error.status === 0) return { decision: "UNREACHABLE: Countersign could not be reached", reason: error.detail };
    return { decision: `NOT MADE: Countersign refused the request (${error.code})`, reason: error.detail };
  }
  return { decision: "NOT MADE: the gate failed", reason: error instanceof Error ? error.message : String(error) };
}

/** The text for every verdict but `run`. */
export function verdictText(v: Exclude<Verdict, { kind: "run" }>, consoleUrl: string, holdMs: number, retry = RETRY): string {
  if (v.kind === "error") {
    const { decision, reason } = describeError(v.error);
    return [`Countersign: ${decision}. The call was not made (fail closed).`, `Reason: ${reason}`, `Nothing ran; ${retry} once Countersign answers.`].join("\n");
  }
  const id = v.item.job.id;
  if (v.kind === "pending") {
    return [
      `Countersign: PENDING. The call was not made yet: it is waiting for approval (held ${Math.round(holdMs / 1000)}s).`,
      `Still needed: ${stillNeeded(v.item)}.`,
      `Job: ${id}`,
      `Console: ${consoleLink(consoleUrl, id)}`,
      `Once it is approved, ${retry}: the same job resumes (no new request is made).`,
    ].join("\n");
  }
  const { decision, reason } = refusal(v.item);
  return [
    `Countersign: ${decision}. The call was not made.`,
    `Reason: ${reason}`,
    `Job: ${id}`,
    `Console: ${consoleLink(consoleUrl, id)}`,
    `The same call within ${REFUSAL_MEMORY_MS / 60_000} minutes gets this answer again; change the request or ask a person.`,
  ].join("\n");
}
