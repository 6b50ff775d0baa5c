"use client";

import { useVirtualizer } from "@tanstack/react-virtual";
import { useSearchParams } from "next/navigation";
import { useEffect, useMemo, useRef } from "react";
import { filtersFrom } from "@/lib/client/keys";
import { useJobList } from "@/lib/client/use-job-list";
import { QueueFiltersBar } from "../../queue/_components/queue-filters";
import { HistoryRow, HISTORY_ROW_HEIGHT } from "./history-row";

export function HistoryClient({ ruleIds }: { ruleIds: string[] }) {
  const params = useSearchParams();
  const filters = useMemo(() => {
    const f = filtersFrom(params);
    delete f.actionable;
    return f;
  }, [params]);
  const list = useJobList("history", filters);
  // The listing mixes in what is still pending (newest first); history shows what was decided.
  const items = useMemo(() => list.items.filter((i) => i.job.state !== "APPROVAL"), [list.items]);
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: items.length + (list.hasNextPage ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => HISTORY_ROW_HEIGHT,
    overscan: 8,
  });
  const rows = virtualizer.getVirtualItems();
  const last = rows[rows.length - 1];
  useEffect(() => {
    const nearEnd = !last || last.index >= items.length - 10;
    if (nearEnd && list.hasNextPage && !list.isFetchingNextPage) void list.fetchNextPage();
  }, [last, items.length, list]);

  return (
    <section aria-labelledby="history-title" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 id="history-title" className="text-xl font-bold">
            History
          </h1>
          <p className="text-sm text-slate-600">Every request that needed people, newest first, with how and when it was decided.</p>
        </div>
        <QueueFiltersBar basePath="/history" filters={filters} ruleIds={ruleIds} showActionable={false} focusSignal={0} />
      </div>
      {list.isError ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          The history could not be loaded: {list.error.message}
        </p>
      ) : items.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">{list.isPending || list.hasNextPage ? "Loading…" : "Nothing decided yet."}</p>
      ) : (
        <div ref={scrollRef} className="h-[calc(100dvh-13rem)] min-h-80 overflow-auto rounded-md border border-slate-200 bg-white">
          <div role="list" aria-label="Requests, newest first" style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
            {rows.map((row) => {
              const item = items[row.index];
              return (
                <div key={item?.job.id ?? "more"} style={{ position: "absolute", top: 0, left: 0, right: 0, height: HISTORY_ROW_HEIGHT, transform: `translateY(${row.start}px)` }}>
                  {item ? <HistoryRow item={item} /> : <div className="flex h-full items-center justify-center text-sm text-slate-500">Loading more…</div>}
                </div>
              );
            })}
          </div>
        </div>
      )}
    </section>
  );
}
