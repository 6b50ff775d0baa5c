"use client";

import Link from "next/link";
import { ago } from "@/components/approvals/format";
import { headline } from "@/components/approvals/outcome";
import { jobHref } from "@/lib/client/back";
import { StateBadge } from "@/components/approvals/state-badge";
import { useNow } from "@/components/approvals/use-now";
import { useRecentOnTopic } from "@/lib/client/use-job";

export function RecentOnTopic({ topic, currentId, serverNow, from }: { topic: string; currentId: string; serverNow: number; from: string }) {
  const recent = useRecentOnTopic(topic);
  const now = useNow(serverNow);
  const items = (recent.data?.items ?? []).filter((i) => i.job.id !== currentId).slice(0, 5);
  return (
    <section aria-labelledby="recent-title" className="rounded-md border border-slate-200 bg-white p-3">
      <h2 id="recent-title" className="text-sm font-semibold">
        Recent requests on <span className="font-mono">{topic}</span>
      </h2>
      {recent.isError && <p className="text-sm text-red-800">Could not load them.</p>}
      {items.length === 0 && !recent.isPending && <p className="text-sm text-slate-600">None before this one.</p>}
      <ul className="mt-1 divide-y divide-slate-100 text-sm">
        {items.map((i) => (
          <li key={i.job.id} className="flex flex-wrap items-center gap-2 py-1.5">
            <StateBadge state={i.job.state} />
            {/* The agent's own title, in full (it wraps): templates alone all read alike. */}
            <Link href={jobHref(i.job.id, from)} className="min-w-0 flex-1 break-words hover:underline">
              {headline(i).title}
            </Link>
            <span className="text-xs text-slate-500">
              {i.resolved_by ? `${i.resolution} by ${i.resolved_by}, ` : ""}
              {ago(i.resolved_at ?? i.job.created_at, now)}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
