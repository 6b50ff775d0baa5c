"use client";

import Link from "next/link";
import type { MouseEvent } from "react";
import { progressLabel, requester, shortDuration } from "@/components/approvals/format";
import { headline } from "@/components/approvals/outcome";
import { SlaCountdown } from "@/components/approvals/sla-countdown";
import type { JobItem } from "@/lib/client/types";

/** Fixed, so rows never shift as others arrive: room for a two-line title on phones. */
export const ROW_HEIGHT = 116;

interface Props {
  item: JobItem;
  selected: boolean;
  checked: boolean;
  now: number;
  serverNow: number;
  href: string;
  onSelect: () => void;
  /** Toggle this row in the batch; `range` when shift was held (select from the last one toggled). */
  onCheck: (range: boolean) => void;
  showCheck: boolean;
}

const line = "block min-w-0 truncate text-xs text-slate-700";

export function QueueRow({ item, selected, checked, now, serverNow, href, onSelect, onCheck, showCheck }: Props) {
  const { job } = item;
  const titleId = `row-title-${job.id}`;
  const { title, subtitle } = headline(item);
  const { why, next_effect: next } = item.decision_summary;
  return (
    <div
      role="listitem"
      aria-labelledby={titleId}
      aria-current={selected ? "true" : undefined}
      data-job-id={job.id}
      onMouseDown={onSelect}
      className={`flex h-full gap-2 overflow-hidden border-b border-slate-200 px-3 py-2 text-sm ${
        selected ? "bg-blue-50 ring-2 ring-inset ring-blue-600" : checked ? "bg-sky-50" : "bg-white hover:bg-slate-50"
      }`}
    >
      {showCheck && (
        <input
          type="checkbox"
          checked={checked}
          aria-label={`Select “${title}” for a batch decision`}
          tabIndex={selected ? 0 : -1}
          onChange={() => undefined}
          onClick={(e: MouseEvent<HTMLInputElement>) => onCheck(e.shiftKey)}
          className="mt-1 size-4 shrink-0"
        />
      )}
      <div className="flex min-w-0 flex-1 flex-col justify-center gap-0.5">
        <div className="flex min-w-0 items-start gap-2">
          <Link
            id={titleId}
            href={href}
            title={title}
            className="line-clamp-2 min-w-0 flex-1 font-semibold break-words text-slate-900 hover:underline sm:line-clamp-1"
            tabIndex={selected ? 0 : -1}
          >
            {title}
          </Link>
          <SlaCountdown dueAt={item.sla.due_at} expiresAt={item.sla.expires_at} escalated={item.sla.escalated} serverNow={serverNow} />
        </div>
        <div className="flex min-w-0 items-center gap-2 text-xs text-slate-600">
          {item.can_act && <span className="shrink-0 whitespace-nowrap rounded bg-blue-100 px-1.5 py-0.5 font-medium text-blue-900">you can act</span>}
          <span className="shrink-0 font-medium text-slate-800" title="Approvals so far / needed">
            {progressLabel(item.requirements)}
          </span>
          <span className="min-w-0 truncate" title={subtitle ?? undefined}>
            {subtitle ? `${subtitle} · ` : ""}
            <span className="font-mono">{job.topic}</span>
            {job.risk_tags.length > 0 && ` [${job.risk_tags.join(", ")}]`} · by {requester(job)} · {shortDuration(now - Date.parse(job.created_at))} old
          </span>
        </div>
        <span className={line} title={why}>
          <span className="font-semibold">Why: </span>
          {why}
        </span>
        <span className={line} title={next}>
          <span className="font-semibold">Next: </span>
          {next}
        </span>
      </div>
    </div>
  );
}
