"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useRef, useState } from "react";
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
  const scrollRef = useRef<HTMLDivElement>(null);

  // Selection follows the job, not the row number, so arrivals above it do not move it.
  const index = Math.max(0, items.findIndex((i) => i.job.id === selectedId));
  const selected = items[index];

  const virtualizer = useVirtualizer({
    count: items.length + (list.hasNextPage ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });
  const virtualRows = virtualizer.getVirtualItems();
  const lastRow = virtualRows[virtualRows.length - 1];

  useEffect(() => {
    if (lastRow && lastRow.index >= items.length - 10 && list.hasNextPage && !list.isFetchingNextPage) void list.fetchNextPage();
  }, [lastRow, items.length, list]);

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
    virtualizer.scrollToIndex(next, { align: "auto" });
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
        <div ref={scrollRef} className="h-[calc(100dvh-15rem)] min-h-80 overflow-auto rounded-md border border-slate-200 bg-white" data-testid="queue-scroll">
          <div role="list" aria-label={`Pending requests, ${items.length}${list.hasNextPage ? "+" : ""}`} style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
            {virtualRows.map((row) => {
              const item = items[row.index];
              return (
                <div key={item?.job.id ?? "more"} style={{ position: "absolute", top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${row.start}px)` }}>
                  {item ? (
                    <QueueRow
                      item={item}
                      selected={item === selected}
                      now={now}
                      serverNow={serverNow}
                      href={hrefFor(item.job.id)}
                      onSelect={() => setSelectedId(item.job.id)}
                    />
                  ) : (
                    <div className="flex h-full items-center justify-center text-sm text-slate-500">Loading more…</div>
                  )}
                </div>
              );
            })}
          </div>
        </div>
      )}
      <ShortcutHelp open={help} onClose={() => setHelp(false)} />
    </section>
  );
}
