"use client";

import Link from "next/link";
import { SlaCountdown } from "@/components/approvals/sla-countdown";
import { progressLabel, requester, shortDuration } from "@/components/approvals/format";
import type { JobItem } from "@/lib/client/types";

export const ROW_HEIGHT = 92;

interface Props {
  item: JobItem;
  selected: boolean;
  now: number;
  serverNow: number;
  href: string;
  onSelect: () => void;
}

export function QueueRow({ item, selected, now, serverNow, href, onSelect }: Props) {
  const { job } = item;
  const titleId = `row-title-${job.id}`;
  return (
    <div
      role="listitem"
      aria-labelledby={titleId}
      aria-current={selected ? "true" : undefined}
      data-job-id={job.id}
      onMouseDown={onSelect}
      className={`flex h-full flex-col justify-center gap-0.5 overflow-hidden border-b border-slate-200 px-3 text-sm ${
        selected ? "bg-blue-50 ring-2 ring-inset ring-blue-600" : "bg-white hover:bg-slate-50"
      }`}
    >
      <div className="flex min-w-0 items-center gap-2">
        <Link id={titleId} href={href} className="min-w-0 flex-1 truncate font-semibold text-slate-900 hover:underline" tabIndex={selected ? 0 : -1}>
          {item.decision_summary.title}
          {job.title && job.title !== item.decision_summary.title && <span className="font-normal text-slate-600"> — {job.title}</span>}
        </Link>
        <SlaCountdown dueAt={item.sla.due_at} expiresAt={item.sla.expires_at} escalated={item.sla.escalated} serverNow={serverNow} />
      </div>
      <div className="flex min-w-0 items-center gap-2 truncate text-xs text-slate-600">
        <span className="font-mono">{job.topic}</span>
        {job.risk_tags.map((t) => (
          <span key={t} className="rounded bg-slate-100 px-1.5 py-0.5 font-medium text-slate-700">
            {t}
          </span>
        ))}
        <span className="truncate">rule {item.policy_rule_id}</span>
      </div>
      <div className="flex min-w-0 items-center gap-3 truncate text-xs text-slate-600">
        <span className="font-medium text-slate-800" title="Approvals so far / needed">
          {progressLabel(item.requirements)}
        </span>
        <span className="truncate">by {requester(job)}</span>
        <span className="ml-auto whitespace-nowrap" title={new Date(job.created_at).toLocaleString()}>
          {shortDuration(now - Date.parse(job.created_at))} old
        </span>
        {item.can_act && <span className="whitespace-nowrap rounded bg-blue-100 px-1.5 py-0.5 font-medium text-blue-900">you can act</span>}
      </div>
    </div>
  );
}
