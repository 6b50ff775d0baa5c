"use client";

import { useRouter, useSearchParams } from "next/navigation";
import { useMemo, useState } from "react";
import { PagedJobList } from "@/components/approvals/paged-job-list";
import { ShortcutHelp } from "@/components/approvals/shortcut-help";
import { useNow } from "@/components/approvals/use-now";
import { filtersFrom } from "@/lib/client/keys";
import { useJobList } from "@/lib/client/use-job-list";
import { useShortcuts } from "@/lib/client/use-shortcuts";
import { useArrivals } from "./use-arrivals";
import { QueueFiltersBar } from "./queue-filters";
import { QueueRow, ROW_HEIGHT } from "./queue-row";

interface Props {
  ruleIds: string[];
  canResolve: boolean;
  serverNow: number;
}

export function QueueClient({ ruleIds, canResolve, serverNow }: Props) {
  const router = useRouter();
  const params = useSearchParams();
  const filters = useMemo(() => filtersFrom(params), [params]);
  const list = useJobList("queue", filters);
  const { items } = list;
  const now = useNow(serverNow);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [help, setHelp] = useState(false);
  const [focusFilter, setFocusFilter] = useState(0);
  const announcement = useArrivals(items, list.isSuccess, JSON.stringify(filters));

  // Selection follows the job, not the row number, so arrivals above it do not move it.
  const index = Math.max(0, items.findIndex((i) => i.job.id === selectedId));
  const selected = items[index];

  const hrefFor = (id: string, act?: "approve" | "reject") => {
    const back = params.toString();
    const q = new URLSearchParams();
    if (act) q.set("act", act);
    if (back) q.set("from", back);
    const qs = q.toString();
    return `/jobs/${encodeURIComponent(id)}${qs ? `?${qs}` : ""}`;
  };

  const move = (delta: number) => {
    if (items.length === 0) return;
    const next = Math.min(items.length - 1, Math.max(0, index + delta));
    setSelectedId(items[next]!.job.id);
  };

  useShortcuts({
    j: () => move(1),
    k: () => move(-1),
    ArrowDown: () => move(1),
    ArrowUp: () => move(-1),
    Enter: () => selected && router.push(hrefFor(selected.job.id)),
    a: () => selected && canResolve && router.push(hrefFor(selected.job.id, "approve")),
    r: () => selected && canResolve && router.push(hrefFor(selected.job.id, "reject")),
    "/": () => setFocusFilter((n) => n + 1),
    "?": () => setHelp(true),
  });

  return (
    <section aria-labelledby="queue-title" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 id="queue-title" className="text-xl font-bold">
            Approval queue
          </h1>
          <p className="text-sm text-slate-600">
            Most urgent first. <span aria-hidden="true">Keys: j/k move, Enter open, a approve, r reject, / filter, ? help.</span>
          </p>
        </div>
        <QueueFiltersBar basePath="/queue" filters={filters} ruleIds={ruleIds} showActionable={canResolve} focusSignal={focusFilter} />
      </div>
      {/* Reserved height: a notice never pushes the list down. */}
      <p aria-live="polite" role="status" className="h-5 text-sm text-blue-900">
        {announcement}
      </p>
      {list.isError ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          The queue could not be loaded: {list.error.message}{" "}
          <button type="button" className="underline" onClick={() => void list.refetch()}>
            Try again
          </button>
        </p>
      ) : list.isPending ? (
        <p className="text-sm text-slate-600">Loading the queue…</p>
      ) : items.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">
          Nothing is waiting{Object.keys(filters).length ? " that matches these filters" : ""}. New requests appear here as they arrive.
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
              now={now}
              serverNow={serverNow}
              href={hrefFor(item.job.id)}
              onSelect={() => setSelectedId(item.job.id)}
            />
          )}
        />
      )}
      <ShortcutHelp open={help} onClose={() => setHelp(false)} />
    </section>
  );
}
