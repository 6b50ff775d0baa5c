"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import { headline } from "@/components/approvals/outcome";
import { PagedJobList } from "@/components/approvals/paged-job-list";
import { ShortcutHelp } from "@/components/approvals/shortcut-help";
import { useNow } from "@/components/approvals/use-now";
import { jobHref } from "@/lib/client/back";
import { filtersFrom } from "@/lib/client/keys";
import type { JobItem } from "@/lib/client/types";
import { useJobList } from "@/lib/client/use-job-list";
import { useShortcuts } from "@/lib/client/use-shortcuts";
import { useVotes, type VoteKind, type VoteResult } from "@/lib/client/use-votes";
import { useViewer } from "../../_components/viewer-context";
import { QueueCounts } from "./queue-counts";
import { QueueFiltersBar } from "./queue-filters";
import { QueueRow, ROW_HEIGHT } from "./queue-row";
import { ReasonPicker } from "./reason-picker";
import { useArrivals } from "./use-arrivals";
import { useChecked } from "./use-checked";
import { VoteResults } from "./vote-results";

interface Props {
  ruleIds: string[];
  canResolve: boolean;
  serverNow: number;
}

export function QueueClient({ ruleIds, canResolve, serverNow }: Props) {
  const router = useRouter();
  const params = useSearchParams();
  const viewer = useViewer();
  const filters = useMemo(() => filtersFrom(params), [params]);
  const list = useJobList("queue", filters);
  const { items } = list;
  const now = useNow(serverNow);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [help, setHelp] = useState(false);
  const [focusFilter, setFocusFilter] = useState(0);
  const [picking, setPicking] = useState<{ vote: VoteKind; targets: JobItem[] } | null>(null);
  const [done, setDone] = useState<{ vote: VoteKind; results: VoteResult[] } | null>(null);
  const checked = useChecked(items);
  const votes = useVotes();
  const announcement = useArrivals(items, list.isSuccess, JSON.stringify(filters), now);
  const from = `/queue${params.toString() ? `?${params.toString()}` : ""}`;

  // Selection follows the job, not the row number, so arrivals above it do not move it.
  const index = Math.max(0, items.findIndex((i) => i.job.id === selectedId));
  const selected = items[index];

  const move = (delta: number) => {
    if (items.length === 0) return;
    const next = Math.min(items.length - 1, Math.max(0, index + delta));
    setSelectedId(items[next]!.job.id);
  };

  // `a`/`r` decide the checked rows when there are any, else the selected one.
  const decide = (vote: VoteKind) => {
    if (!canResolve) return;
    const targets = checked.ids.size > 0 ? items.filter((i) => checked.ids.has(i.job.id)) : selected?.can_act ? [selected] : [];
    if (targets.length > 0) setPicking({ vote, targets });
  };

  const confirm = (reason: string) => {
    if (!picking) return;
    const { vote, targets } = picking;
    // The next row to work on: the first after the decided ones that stays in the list.
    const decidedIds = new Set(targets.map((t) => t.job.id));
    const after = items.slice(index + 1).find((i) => !decidedIds.has(i.job.id)) ?? items.slice(0, index).reverse().find((i) => !decidedIds.has(i.job.id));
    votes.mutate(
      { items: targets, vote, reason },
      {
        onSuccess: (results) => {
          setPicking(null);
          setDone({ vote, results });
          checked.clear();
          if (after && targets.length === 1) setSelectedId(after.job.id);
        },
      },
    );
  };

  useShortcuts({
    j: () => move(1),
    k: () => move(-1),
    ArrowDown: () => move(1),
    ArrowUp: () => move(-1),
    Enter: () => selected && router.push(jobHref(selected.job.id, from)),
    a: () => decide("approve"),
    r: () => decide("reject"),
    x: () => canResolve && selected && checked.toggle(selected.job.id, false),
    "/": () => setFocusFilter((n) => n + 1),
    "?": () => setHelp(true),
  });

  const targetsCan = checked.ids.size > 0;
  return (
    <section aria-labelledby="queue-title" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0">
          <h1 id="queue-title" className="text-xl font-bold">
            Approval queue
          </h1>
          <p className="text-sm text-slate-600">
            {canResolve && <QueueCounts />} Most urgent first.{" "}
            <span aria-hidden="true" className="hidden md:inline">
              Keys: j/k move, Enter open, a approve, r reject, x select, / filter, ? help.
            </span>
          </p>
        </div>
        <QueueFiltersBar basePath="/queue" filters={filters} ruleIds={ruleIds} showActionable={canResolve} focusSignal={focusFilter} />
      </div>
      {targetsCan && (
        <div role="group" aria-label="Batch decision" className="flex flex-wrap items-center gap-2 rounded-md border border-sky-300 bg-sky-50 p-2 text-sm">
          <span className="font-medium">{checked.ids.size} selected</span>
          <button type="button" onClick={() => decide("approve")} className="rounded-md bg-emerald-700 px-3 py-1 font-semibold text-white">
            Approve selected…
          </button>
          <button type="button" onClick={() => decide("reject")} className="rounded-md bg-red-700 px-3 py-1 font-semibold text-white">
            Reject selected…
          </button>
          <button type="button" onClick={checked.clear} className="rounded-md border border-slate-300 bg-white px-3 py-1">
            Clear selection
          </button>
        </div>
      )}
      {done && <VoteResults vote={done.vote} results={done.results} now={now} onClose={() => setDone(null)} />}
      {/* Reserved height: a notice never pushes the list down. */}
      <p aria-live="polite" role="status" className="min-h-5 text-sm text-blue-900">
        {announcement}
      </p>
      {list.isPending ? (
        <p className="text-sm text-slate-600">Loading the queue…</p>
      ) : list.isError && !list.data ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          The queue could not be loaded: {list.error.message}{" "}
          <button type="button" className="underline" onClick={() => void list.refetch()}>
            Try again
          </button>
        </p>
      ) : items.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">
          Nothing is waiting{filters.actionable ? " for you" : ""}
          {Object.keys(filters).some((k) => k !== "actionable") ? " that matches these filters" : ""}. New requests appear here as they arrive.
        </p>
      ) : (
        <PagedJobList
          items={items}
          label={`Pending requests, ${items.length}${list.hasNextPage ? "+" : ""}`}
          rowHeight={ROW_HEIGHT}
          hasNextPage={list.hasNextPage}
          isFetchingNextPage={list.isFetchingNextPage}
          fetchNextPage={list.fetchNextPage}
          activeIndex={index}
          className="h-[calc(100dvh-15rem)] min-h-80"
          testId="queue-scroll"
          renderRow={(item) => (
            <QueueRow
              item={item}
              selected={item === selected}
              checked={checked.ids.has(item.job.id)}
              showCheck={canResolve && viewer.roles.length > 0}
              now={now}
              serverNow={serverNow}
              href={jobHref(item.job.id, from)}
              onSelect={() => setSelectedId(item.job.id)}
              onCheck={(range) => checked.toggle(item.job.id, range)}
            />
          )}
        />
      )}
      {picking && (
        <ReasonPicker
          vote={picking.vote}
          subject={picking.targets.length === 1 ? `“${headline(picking.targets[0]!).title}”` : `${picking.targets.length} requests`}
          busy={votes.isPending}
          onConfirm={confirm}
          onCancel={() => setPicking(null)}
        />
      )}
      <ShortcutHelp open={help} onClose={() => setHelp(false)} />
    </section>
  );
}
