import type { JobItem } from "@/lib/services/jobs/schemas";

// Block Kit for the Slack app (DESIGN §8), pure: the message about a job, and the modals a button opens.

/** What an Approve or Reject button carries: the job, and the exact hash and snapshot the message showed. */
export interface ButtonValue {
  t: string;
  j: string;
  h: string;
  s: string;
}

export const ACTION_APPROVE = "cs_approve";
export const ACTION_REJECT = "cs_reject";
export const ACTION_OPEN = "cs_open";
export const VOTE_CALLBACK = "cs_vote";

// mrkdwn treats <, > and & as control characters: an agent's text must not forge a link or a mention.
export const mrkdwn = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const text = (s: string) => ({ type: "mrkdwn", text: cut(s, 2900) });
// A section field holds at most 2000 characters (a section's text 3000).
const field = (s: string) => ({ type: "mrkdwn", text: cut(s, 1900) });
const plain = (s: string, n = 150) => ({ type: "plain_text", text: cut(s, n) });
const when = (iso: string | null) => (iso ? `<!date^${Math.floor(Date.parse(iso) / 1000)}^{date_short_pretty} {time}|${iso}>` : "none");

/** The payload's first lines, as evidence to glance at; the whole of it stays behind the console's sign-in. */
export function payloadExcerpt(payload: unknown, lines = 8, chars = 600): string {
  const all = JSON.stringify(payload, null, 2).split("\n");
  const shown = cut(all.slice(0, lines).join("\n"), chars);
  return all.length > lines ? `${shown}\n…` : shown;
}

const OUTCOME: Record<string, string> = {
  approved: ":white_check_mark: *Approved*",
  rejected: ":no_entry: *Rejected*",
  expired: ":hourglass: *Expired* without a decision",
  cancelled: ":leftwards_arrow_with_hook: *Cancelled* by the agent",
};

/** Who decided and why, once the job has left the queue; null while it still takes votes. */
export function outcomeLine(item: JobItem): string | null {
  if (item.job.state === "APPROVAL") return null;
  const r = item.resolution;
  if (!r) return `*${item.job.state}* (decided by policy)`;
  const who = item.resolved_by && r !== "expired" && r !== "cancelled" ? ` by ${mrkdwn(item.resolved_by)}` : "";
  const why = item.resolved_comment ? `: ${mrkdwn(item.resolved_comment)}` : "";
  return `${OUTCOME[r] ?? r}${who}${why}`;
}

/** The message about a job: summary, evidence, requirements and progress, SLA, and buttons while it is pending. */
export function jobMessage(item: JobItem, tenant: string, link: string): { text: string; blocks: object[] } {
  const s = item.decision_summary;
  // Both buttons bind the same job, hash and snapshot: a vote on anything else is refused as stale.
  const value = JSON.stringify({ t: tenant, j: item.job.id, h: item.job_hash, s: item.policy_snapshot } satisfies ButtonValue);
  const labels = Object.entries(item.job.labels ?? {}).map(([k, v]) => `\`${mrkdwn(k)}=${mrkdwn(String(v))}\``);
  const progress = item.requirements.map((r) => `${r.roles.map(mrkdwn).join(" or ")}: ${r.approvals}/${r.count}`).join("\n") || "none";
  const outcome = outcomeLine(item);
  const blocks: object[] = [
    { type: "header", text: plain(s.title) },
    { type: "section", text: text(`*Why:* ${mrkdwn(s.why)}\n*Next:* ${mrkdwn(s.next_effect)}`) },
    {
      type: "context",
      elements: [text([`\`${mrkdwn(item.job.topic)}\``, ...item.job.risk_tags.map((t) => `#${mrkdwn(t)}`), `asked by ${mrkdwn(item.job.requested_by)}`, `rule ${mrkdwn(item.policy_rule_id ?? "")}`, ...labels].join(" · "))],
    },
    { type: "section", text: text(`\`\`\`${payloadExcerpt(item.job.payload).replace(/```/g, "'''")}\`\`\``) },
    {
      type: "section",
      fields: [field(`*Approvals*\n${progress}`), field(`*SLA*\ndue ${when(item.sla.due_at)}${item.sla.escalated ? " (escalated)" : ""}\nexpires ${when(item.sla.expires_at)}`)],
    },
  ];
  if (outcome) {
    blocks.push({ type: "section", text: text(outcome) });
    blocks.push({ type: "actions", elements: [{ type: "button", action_id: ACTION_OPEN, text: plain("Open"), url: link }] });
  } else {
    blocks.push({
      type: "actions",
      block_id: "cs_decide",
      elements: [
        { type: "button", action_id: ACTION_APPROVE, style: "primary", text: plain("Approve"), value },
        { type: "button", action_id: ACTION_REJECT, style: "danger", text: plain("Reject"), value },
        { type: "button", action_id: ACTION_OPEN, text: plain("Open"), url: link },
      ],
    });
  }
  const fallback = outcome ? `${s.title}: ${outcome.replace(/\*/g, "")}` : `Approval needed: ${s.title}`;
  return { text: cut(fallback, 3000), blocks };
}

const PRESETS = {
  approve: ["Checked the payload: as expected", "Planned change", "Low risk, reversible"],
  reject: ["Not expected", "Wrong target or amount", "Needs more context"],
} as const;

/** What the modal carries from the button to the submission. */
export interface VoteMetadata extends ButtonValue {
  v: "approve" | "reject";
}

/** The modal a button opens: the summary, a preset reason or free text (one of them required), an optional note. */
export function voteModal(item: JobItem, meta: VoteMetadata): object {
  const verb = meta.v === "approve" ? "Approve" : "Reject";
  return {
    type: "modal",
    callback_id: VOTE_CALLBACK,
    private_metadata: JSON.stringify(meta),
    title: plain(verb, 24),
    submit: plain(verb, 24),
    close: plain("Cancel", 24),
    blocks: [
      { type: "section", text: text(`*${mrkdwn(item.decision_summary.title)}*\n${mrkdwn(item.decision_summary.why)}`) },
      {
        type: "input",
        block_id: "preset",
        optional: true,
        label: plain("Reason"),
        element: { type: "static_select", action_id: "value", placeholder: plain("Pick a reason"), options: PRESETS[meta.v].map((p) => ({ text: plain(p, 75), value: p })) },
      },
      { type: "input", block_id: "reason", optional: true, label: plain("Or in your words"), element: { type: "plain_text_input", action_id: "value", max_length: 1000 } },
      { type: "input", block_id: "note", optional: true, label: plain("Note (optional)"), element: { type: "plain_text_input", action_id: "value", multiline: true, max_length: 3000 } },
    ],
  };
}

/** A modal that only tells something: why a button no longer counts, how to link, what the vote did. */
export function noticeModal(title: string, body: string): object {
  return { type: "modal", title: plain(title, 24), close: plain("Close", 24), blocks: [{ type: "section", text: text(body) }] };
}
