"use client";

import { ago, localTime, requester } from "@/components/approvals/format";
import { headline, nextEffect } from "@/components/approvals/outcome";
import { SlaCountdown } from "@/components/approvals/sla-countdown";
import { StateBadge } from "@/components/approvals/state-badge";
import type { JobDetail } from "@/lib/client/types";

/** The decision summary: the agent's title as the headline, the rule's summary under it, why, and what comes next. */
export function JobHeader({ detail, now, serverNow }: { detail: JobDetail; now: number; serverNow: number }) {
  const item = detail.job;
  const pending = item.job.state === "APPROVAL";
  const { title, subtitle } = headline(item);
  const effect = nextEffect(item);
  return (
    <header className="space-y-2 rounded-md border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-center gap-2">
        <StateBadge state={item.job.state} />
        {pending && <SlaCountdown dueAt={item.sla.due_at} expiresAt={item.sla.expires_at} escalated={item.sla.escalated} serverNow={serverNow} />}
        <span className="text-xs text-slate-500">
          {requester(item.job)} · {ago(item.job.created_at, now)}
        </span>
      </div>
      <h1 id="job-title" className="text-xl font-bold break-words">
        {title}
      </h1>
      {subtitle && <p className="text-base text-slate-700">{subtitle}</p>}
      <p className="text-sm">
        <span className="font-semibold">Why: </span>
        {item.decision_summary.why}
      </p>
      <p className="text-sm" data-testid="next-effect">
        <span className="font-semibold">{effect.label}: </span>
        {effect.text}
      </p>
      {pending && (item.sla.due_at || item.sla.expires_at) && (
        <p className="text-sm text-slate-700" data-testid="deadline">
          {deadlineText(item.sla, detail.deadline)}
        </p>
      )}
    </header>
  );
}

/** The SLA in words: when it is due, what happens then (escalation, or expiry), and the final cutoff. */
function deadlineText(sla: JobDetail["job"]["sla"], deadline: JobDetail["deadline"]): string {
  const due = sla.due_at ? localTime(sla.due_at) : null;
  const expires = sla.expires_at ? localTime(sla.expires_at) : null;
  // on_timeout reject: the due time is the deadline (it expires then), so the later cutoff never applies.
  if (due && deadline.on_timeout === "reject") return `Due ${due}; it expires then if still undecided.`;
  const parts: string[] = [];
  if (due) {
    const to = deadline.escalate_to.length ? `, then escalates to ${deadline.escalate_to.join(", ")}${sla.escalated ? " (escalated)" : ""}` : "";
    parts.push(`Due ${due}${to}.`);
  }
  if (expires) parts.push(`Expires ${expires} if still undecided.`);
  return parts.join(" ");
}
