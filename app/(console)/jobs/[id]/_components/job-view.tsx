"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { ago, localTime, requester } from "@/components/approvals/format";
import { SlaCountdown } from "@/components/approvals/sla-countdown";
import { StateBadge } from "@/components/approvals/state-badge";
import { useNow } from "@/components/approvals/use-now";
import { useJob } from "@/lib/client/use-job";
import { useViewer } from "../../../_components/viewer-context";
import { Evidence } from "./evidence";
import { RecentOnTopic } from "./recent-on-topic";
import { ResolutionForm } from "./resolution-form";

export function JobView({ id, serverNow }: { id: string; serverNow: number }) {
  const viewer = useViewer();
  const params = useSearchParams();
  const query = useJob(id);
  const now = useNow(serverNow);
  const act = params.get("act");
  const from = params.get("from");
  const queueHref = `/queue${from ? `?${from}` : ""}`;
  const [mine, setMine] = useState<string | null>(null);
  const doneRef = useRef<HTMLAnchorElement>(null);

  const item = query.data?.job;
  // The state when the page opened (the data arrives hydrated from the server render).
  const [openedState] = useState(() => query.data?.job.job.state ?? null);
  // Decided while open, and not by this reviewer: say so rather than silently changing the page.
  const decidedElsewhere = !mine && openedState === "APPROVAL" && item && item.job.state !== "APPROVAL";

  useEffect(() => {
    if (mine) doneRef.current?.focus();
  }, [mine]);

  if (query.isError) {
    return (
      <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
        {query.error.message}{" "}
        <Link href={queueHref} className="underline">
          Back to the queue
        </Link>
      </p>
    );
  }
  if (!item || !query.data) return <p className="text-sm text-slate-600">Loading…</p>;

  const summary = item.decision_summary;
  const pending = item.job.state === "APPROVAL";
  return (
    <article aria-labelledby="job-title" className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_22rem]">
      <div className="space-y-4">
        <nav aria-label="Breadcrumb" className="text-sm">
          <Link href={queueHref} className="text-blue-800 underline">
            ← Queue
          </Link>
        </nav>
        <header className="space-y-2 rounded-md border border-slate-200 bg-white p-4">
          <div className="flex flex-wrap items-center gap-2">
            <StateBadge state={item.job.state} />
            {pending && <SlaCountdown dueAt={item.sla.due_at} expiresAt={item.sla.expires_at} escalated={item.sla.escalated} serverNow={serverNow} />}
            <span className="text-xs text-slate-500">
              {requester(item.job)} · {ago(item.job.created_at, now)}
            </span>
          </div>
          <h1 id="job-title" className="text-xl font-bold">
            {summary.title}
          </h1>
          {item.job.title && item.job.title !== summary.title && <p className="text-base text-slate-700">{item.job.title}</p>}
          <p className="text-sm">
            <span className="font-semibold">Why: </span>
            {summary.why}
          </p>
          <p className="text-sm">
            <span className="font-semibold">Next effect: </span>
            {summary.next_effect}
          </p>
        </header>
        {decidedElsewhere && (
          <p role="status" className="rounded-md border border-sky-300 bg-sky-50 p-3 text-sm text-sky-900">
            While you were reading, this request was {item.job.state === "EXPIRED" ? "expired" : `${item.resolution ?? item.job.state.toLowerCase()}`}
            {item.resolved_by ? ` by ${item.resolved_by}` : ""}
            {item.resolved_at ? ` ${ago(item.resolved_at, now)}` : ""}. <Link href={queueHref} className="underline">Back to the queue</Link>
          </p>
        )}
        <Evidence detail={query.data} />
      </div>
      <aside className="space-y-4 lg:sticky lg:top-16 lg:self-start">
        {mine ? (
          <div role="status" className="space-y-2 rounded-md border border-emerald-300 bg-emerald-50 p-4 text-sm">
            <p className="font-semibold">{mine}</p>
            <Link ref={doneRef} href={queueHref} className="inline-block rounded-md bg-slate-900 px-3 py-1.5 font-semibold text-white">
              Back to the queue
            </Link>
          </div>
        ) : pending && query.data.viewer.can_act ? (
          <ResolutionForm
            detail={query.data}
            roles={viewer.roles}
            initialVote={act === "approve" || act === "reject" ? act : null}
            serverNow={serverNow}
            onDone={(vote, state) => {
              setMine(
                state === "APPROVAL"
                  ? `Your ${vote === "approve" ? "approval" : "rejection"} is recorded. The request still needs: ${item.requirements.map((r) => r.roles.join(" or ")).join(", ")}.`
                  : `You ${vote === "approve" ? "approved" : "rejected"} this request. It is now ${state.toLowerCase()}.`,
              );
            }}
          />
        ) : (
          <div className="rounded-md border border-slate-300 bg-white p-4 text-sm" data-testid="cannot-act">
            <h2 className="mb-1 font-semibold">{pending ? "You cannot decide this request" : "Decided"}</h2>
            <p>{pending ? query.data.viewer.message : resolvedLine(item, now)}</p>
            {item.resolved_comment && <p className="mt-1 whitespace-pre-wrap text-slate-600">“{item.resolved_comment}”</p>}
          </div>
        )}
        <RecentOnTopic topic={item.job.topic} currentId={item.job.id} serverNow={serverNow} />
      </aside>
    </article>
  );
}

function resolvedLine(item: NonNullable<ReturnType<typeof useJob>["data"]>["job"], now: number): string {
  if (item.resolved_at) {
    return `${item.resolution ?? item.job.state.toLowerCase()}${item.resolved_by ? ` by ${item.resolved_by}` : ""} ${ago(item.resolved_at, now)} (${localTime(item.resolved_at)}).`;
  }
  return `The policy decided this request: ${item.decision.toLowerCase().replaceAll("_", " ")} (${item.policy_reason}).`;
}
