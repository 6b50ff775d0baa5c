"use client";

import Link from "next/link";
import { localTime, requester, shortDuration } from "@/components/approvals/format";
import { StateBadge } from "@/components/approvals/state-badge";
import type { JobItem } from "@/lib/client/types";

export const HISTORY_ROW_HEIGHT = 84;

export function HistoryRow({ item }: { item: JobItem }) {
  const { job } = item;
  const decidedIn = item.resolved_at ? Date.parse(item.resolved_at) - Date.parse(job.created_at) : null;
  return (
    <div role="listitem" data-job-id={job.id} className="flex h-full flex-col justify-center gap-0.5 overflow-hidden border-b border-slate-200 bg-white px-3 text-sm">
      <div className="flex min-w-0 items-center gap-2">
        <StateBadge state={job.state} />
        <Link href={`/jobs/${encodeURIComponent(job.id)}`} className="min-w-0 flex-1 truncate font-semibold hover:underline">
          {item.decision_summary.title}
          {job.title && job.title !== item.decision_summary.title && <span className="font-normal text-slate-600"> — {job.title}</span>}
        </Link>
        {decidedIn !== null && (
          <span className="whitespace-nowrap text-xs text-slate-600" title="Time to decision">
            decided in {shortDuration(decidedIn)}
          </span>
        )}
      </div>
      <div className="flex min-w-0 items-center gap-2 truncate text-xs text-slate-600">
        <span className="font-mono">{job.topic}</span>
        <span>rule {item.policy_rule_id}</span>
        <span className="truncate">asked by {requester(job)}</span>
      </div>
      <div className="flex min-w-0 items-center gap-2 truncate text-xs text-slate-700">
        {item.resolution ? (
          <>
            <span className="font-medium">
              {item.resolution}
              {item.resolved_by ? ` by ${item.resolved_by}` : ""}
            </span>
            {item.resolved_comment && <span className="truncate text-slate-600">“{item.resolved_comment.replace(/\n/g, " — ")}”</span>}
            {item.resolved_at && <span className="ml-auto whitespace-nowrap text-slate-500">{localTime(item.resolved_at)}</span>}
          </>
        ) : (
          <span className="text-slate-500">still pending</span>
        )}
      </div>
    </div>
  );
}
