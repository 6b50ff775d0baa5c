"use client";

import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { ago, localTime } from "@/components/approvals/format";
import { afterMyVote } from "@/components/approvals/outcome";
import { ShortcutHelp, JOB_KEYS } from "@/components/approvals/shortcut-help";
import { useNow } from "@/components/approvals/use-now";
import { backTarget, jobHref, neighbours } from "@/lib/client/back";
import type { JobItem } from "@/lib/client/types";
import { useJob } from "@/lib/client/use-job";
import { useShortcuts } from "@/lib/client/use-shortcuts";
import { useViewer } from "../../../_components/viewer-context";
import { DecisionBar } from "./decision-bar";
import { Evidence } from "./evidence";
import { JobHeader } from "./job-header";
import { RecentOnTopic } from "./recent-on-topic";
import { ResolutionForm, type VoteRequest } from "./resolution-form";

/** The newer of two renderings of one job (the vote's answer may arrive before the refetch). */
const newer = (a: JobItem, b: JobItem | undefined) => (b && b.job.updated_at >= a.job.updated_at ? b : a);

export function JobView({ id, serverNow }: { id: string; serverNow: number }) {
  const viewer = useViewer();
  const router = useRouter();
  const client = useQueryClient();
  const params = useSearchParams();
  const query = useJob(id);
  const now = useNow(serverNow);
  const act = params.get("act");
  const from = params.get("from");
  const back = backTarget(from);
  const [mine, setMine] = useState<{ vote: "approve" | "reject"; item: JobItem } | null>(null);
  const [request, setRequest] = useState<VoteRequest | null>(act === "approve" || act === "reject" ? { vote: act, n: 0 } : null);
  const [help, setHelp] = useState(false);
  const doneRef = useRef<HTMLAnchorElement>(null);

  const item = query.data?.job;
  // The state when the page opened (the data arrives hydrated from the server render).
  const [openedState] = useState(() => query.data?.job.job.state ?? null);
  // Decided while open, and not by this reviewer: say so rather than silently changing the page.
  const decidedElsewhere = !mine && openedState === "APPROVAL" && item && item.job.state !== "APPROVAL";
  const canDecide = !mine && item?.job.state === "APPROVAL" && query.data?.viewer.can_act === true;

  useEffect(() => {
    if (mine) doneRef.current?.focus();
  }, [mine]);

  const go = (target: string | null) => target && router.push(jobHref(target, back.href));
  const ask = (vote: "approve" | "reject") => canDecide && setRequest((r) => ({ vote, n: (r?.n ?? 0) + 1 }));
  useShortcuts({
    j: () => go(neighbours(client, id, from).next),
    k: () => go(neighbours(client, id, from).prev),
    Escape: () => router.push(back.href),
    a: () => ask("approve"),
    r: () => ask("reject"),
    "?": () => setHelp(true),
  });

  // A failed refetch keeps the page as it was (the banner says the connection is lost); only a
  // first load that failed has nothing to show.
  if (!item || !query.data) {
    if (query.isError) {
      return (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          {query.error.message}{" "}
          <Link href={back.href} className="underline">
            Back to the {back.label.toLowerCase()}
          </Link>
        </p>
      );
    }
    return <p className="text-sm text-slate-600">Loading…</p>;
  }

  const pending = item.job.state === "APPROVAL";
  return (
    <article aria-labelledby="job-title" className="grid gap-4 pb-20 lg:grid-cols-[minmax(0,1fr)_22rem] lg:pb-0">
      <div className="min-w-0 space-y-4">
        <nav aria-label="Breadcrumb" className="flex items-center gap-3 text-sm">
          <Link href={back.href} className="text-blue-800 underline">
            ← {back.label}
          </Link>
          <span className="hidden text-xs text-slate-500 md:inline" aria-hidden="true">
            Keys: j/k next/previous, a approve, r reject, Esc back, ? help
          </span>
        </nav>
        <JobHeader detail={query.data} now={now} serverNow={serverNow} />
        {decidedElsewhere && (
          <p role="status" className="rounded-md border border-sky-300 bg-sky-50 p-3 text-sm text-sky-900">
            While you were reading, this request was {item.job.state === "EXPIRED" ? "expired" : `${item.resolution ?? item.job.state.toLowerCase()}`}
            {item.resolved_by ? ` by ${item.resolved_by}` : ""}
            {item.resolved_at ? ` ${ago(item.resolved_at, now)}` : ""}. <Link href={back.href} className="underline">Back to the {back.label.toLowerCase()}</Link>
          </p>
        )}
        <Evidence detail={query.data} />
      </div>
      <aside className="min-w-0 space-y-4 lg:sticky lg:top-16 lg:self-start">
        {mine ? (
          <div role="status" className="space-y-2 rounded-md border border-emerald-300 bg-emerald-50 p-4 text-sm">
            <p className="font-semibold">{afterMyVote(mine.vote, newer(mine.item, item))}</p>
            <Link ref={doneRef} href={back.href} className="inline-block rounded-md bg-slate-900 px-3 py-1.5 font-semibold text-white">
              Back to the {back.label.toLowerCase()}
            </Link>
          </div>
        ) : canDecide ? (
          <ResolutionForm detail={query.data} roles={viewer.roles} request={request} serverNow={serverNow} onDone={(vote, res) => setMine({ vote, item: res })} />
        ) : (
          <div className="rounded-md border border-slate-300 bg-white p-4 text-sm" data-testid="cannot-act">
            <h2 className="mb-1 font-semibold">{pending ? "You cannot decide this request" : "Decided"}</h2>
            <p>{pending ? query.data.viewer.message : resolvedLine(item, now)}</p>
            {item.resolved_comment && <p className="mt-1 whitespace-pre-wrap text-slate-600">“{item.resolved_comment}”</p>}
          </div>
        )}
        <RecentOnTopic topic={item.job.topic} currentId={item.job.id} serverNow={serverNow} from={back.href} />
      </aside>
      {canDecide && <DecisionBar onChoose={(vote) => setRequest((r) => ({ vote, n: (r?.n ?? 0) + 1 }))} />}
      <ShortcutHelp open={help} onClose={() => setHelp(false)} keys={JOB_KEYS} />
    </article>
  );
}

function resolvedLine(item: JobItem, now: number): string {
  if (item.resolved_at) {
    return `${item.resolution ?? item.job.state.toLowerCase()}${item.resolved_by ? ` by ${item.resolved_by}` : ""} ${ago(item.resolved_at, now)} (${localTime(item.resolved_at)}).`;
  }
  return `The policy decided this request: ${item.decision.toLowerCase().replaceAll("_", " ")} (${item.policy_reason}).`;
}
