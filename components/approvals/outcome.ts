import type { JobItem } from "@/lib/client/types";

/**
 * What happens next, for the job as it is now. Only a pending job has the policy's "next effect"
 * (approve to …); every other state says what became of it, so no page shows a stale promise.
 */
export function nextEffect(item: JobItem): { label: string; text: string } {
  const by = item.resolved_by ? ` by ${item.resolved_by}` : "";
  switch (item.job.state) {
    case "APPROVAL":
      return { label: "Next effect", text: item.decision_summary.next_effect };
    case "APPROVED":
      return { label: "Outcome", text: `Approved${by}. The agent may now run it; it has not started yet.` };
    case "RUNNING":
      return { label: "Outcome", text: `Approved${by} and running now.` };
    case "SUCCEEDED":
      return { label: "Outcome", text: `Approved${by}; it ran and succeeded.` };
    case "FAILED":
      return { label: "Outcome", text: `Approved${by}; it ran and failed.` };
    case "REJECTED":
      return { label: "Outcome", text: `Rejected${by}. It will not run.` };
    case "EXPIRED":
      return { label: "Outcome", text: "Expired before it was decided. It will not run; the agent must ask again." };
    case "CANCELLED":
      return { label: "Outcome", text: "Withdrawn by the agent. It will not run." };
    case "DENIED":
      return { label: "Outcome", text: "Denied by the policy. It will not run." };
    default:
      return { label: "Outcome", text: String(item.job.state).toLowerCase() };
  }
}

/** After this reviewer's own vote: what it did, then where the job stands now (it may have moved on). */
export function afterMyVote(vote: "approve" | "reject", item: JobItem): string {
  const state = item.job.state;
  if (state === "APPROVAL") {
    const missing = item.requirements.filter((r) => r.approvals < r.count).map((r) => `${r.count - r.approvals} from ${r.roles.join(" or ")}`);
    return `Your ${vote === "approve" ? "approval" : "rejection"} is recorded. The request still needs ${missing.join(", ") || "more approvals"}.`;
  }
  const mine = `You ${vote === "approve" ? "approved" : "rejected"} this request.`;
  if (state === "APPROVED" || state === "REJECTED") return `${mine} It is now ${state.toLowerCase()}.`;
  return `${mine} ${nextEffect(item).text}`;
}

/** The headline: the agent's own words when it gave a title, else the policy's summary. */
export function headline(item: JobItem): { title: string; subtitle: string | null } {
  const own = item.job.title?.trim();
  if (own) return { title: own, subtitle: own === item.decision_summary.title ? null : item.decision_summary.title };
  return { title: item.decision_summary.title, subtitle: null };
}
