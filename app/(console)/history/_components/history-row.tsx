"use client";

import Link from "next/link";
import { localTime, requester, shortDuration } from "@/components/approvals/format";
import { headline } from "@/components/approvals/outcome";
import { StateBadge } from "@/components/approvals/state-badge";
import { jobHref } from "@/lib/client/back";
import type { JobItem } from "@/lib/client/types";

export const HISTORY_ROW_HEIGHT = 84;

export function HistoryRow({ item, from }: { item: JobItem; from: string }) {
  const { job } = item;
  const { title, subtitle } = headline(item);
  const decidedIn = item.resolved_at ? Date.parse(item.resolved_at) - Date.parse(job.created_at) : null;
  return (
    <div role="listitem" data-job-id={job.id} className="flex h-full flex-col justify-center gap-0.5 overflow-hidden border-b border-slate-200 bg-white px-3 text-sm">
      <div className="flex min-w-0 items-center gap-2">
        <StateBadge state={job.state} />
        <Link href={jobHref(job.id, from)} title={title} className="min-w-0 flex-1 truncate font-semibold hover:underline">
          {title}
        </Link>
        {decidedIn !== null && (
          <span className="whitespace-nowrap text-xs text-slate-600" title="Time to decision">
            decided in {shortDuration(decidedIn)}
          </span>
        )}
      </div>
      <div className="flex min-w-0 items-center gap-2 truncate text-xs text-slate-600">
        {/* The list's order: when the request was made. */}
        <span className="whitespace-nowrap font-medium text-slate-700">asked {localTime(job.created_at)}</span>
        {subtitle && <span className="truncate">{subtitle}</span>}
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
            {item.resolved_at && <span className="ml-auto hidden whitespace-nowrap text-slate-500 sm:inline">decided {localTime(item.resolved_at)}</span>}
          </>
        ) : (
          <span className="text-slate-500">still pending</span>
        )}
      </div>
    </div>
  );
}
