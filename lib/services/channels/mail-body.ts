import type { JobItem } from "@/lib/services/jobs/schemas";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * The approval mail: the decision summary, the request at a glance, the personal link (the form; opening
 * it changes nothing) and the console's link. Plain text always; the HTML part says the same.
 */
export function approvalMail(item: JobItem, event: string, links: { personal: string; console: string }, deadline: Date | null) {
  const s = item.decision_summary;
  const lead =
    event === "job.escalated" ? "Escalated to you (past its SLA)"
    : event === "job.expiring" ? `Expiring soon (expires at ${deadline?.toISOString() ?? "its deadline"})`
    : "Approval needed";
  const needs = item.requirements.map((r) => `${r.roles.join(" or ")}: ${r.approvals} of ${r.count}`).join("; ");
  const lines: [string, string][] = [
    ["Why", s.why],
    ["If approved", s.next_effect],
    ["Topic", `${item.job.topic}${item.job.risk_tags.length ? ` (${item.job.risk_tags.join(", ")})` : ""}`],
    ["Asked by", item.job.requested_by],
    ["Approvals", needs],
    ["Due", item.sla.due_at ?? "none"],
    ["Expires", item.sla.expires_at ?? "none"],
  ];
  const text = [
    `${lead}: ${s.title}`,
    "",
    ...lines.map(([k, v]) => `${k}: ${v}`),
    "",
    `Decide (your personal link, once; opening it changes nothing):`,
    links.personal,
    "",
    `Open in Countersign: ${links.console}`,
  ].join("\n");
  const html = `<!doctype html><html><body style="font-family:sans-serif">
<h1 style="font-size:18px">${esc(lead)}: ${esc(s.title)}</h1>
<table>${lines.map(([k, v]) => `<tr><th align="left">${esc(k)}</th><td>${esc(v)}</td></tr>`).join("")}</table>
<p><a href="${esc(links.personal)}">Review and decide</a> (your personal link, once; opening it changes nothing)</p>
<p><a href="${esc(links.console)}">Open in Countersign</a></p>
</body></html>`;
  return { subject: `${lead}: ${s.title}`.slice(0, 200), text, html };
}
