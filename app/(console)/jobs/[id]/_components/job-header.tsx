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
  const escalateTo = detail.deadline.escalate_to;
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
          {item.sla.due_at && <>Due {localTime(item.sla.due_at)}</>}
          {item.sla.due_at && detail.deadline.on_timeout === "escalate" && escalateTo.length > 0 && (
            <>, then escalates to {escalateTo.join(", ")}{item.sla.escalated ? " (escalated)" : ""}</>
          )}
          {item.sla.due_at && detail.deadline.on_timeout === "reject" && <>, when it expires if still undecided</>}
          {item.sla.expires_at && <>{item.sla.due_at ? ". " : ""}Expires {localTime(item.sla.expires_at)}.</>}
        </p>
      )}
    </header>
  );
}
