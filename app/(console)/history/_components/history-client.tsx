"use client";

import { useSearchParams } from "next/navigation";
import { useEffect, useMemo } from "react";
import { PagedJobList } from "@/components/approvals/paged-job-list";
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
  const from = `/history${params.toString() ? `?${params.toString()}` : ""}`;
  // The listing mixes in what is still pending (newest first); history shows what was decided.
  const items = useMemo(() => list.items.filter((i) => i.job.state !== "APPROVAL"), [list.items]);
  // A page of nothing but pending work shows no rows, so nothing would ask for the next page.
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = list;
  useEffect(() => {
    if (items.length === 0 && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [items.length, hasNextPage, isFetchingNextPage, fetchNextPage]);
  return (
    <section aria-labelledby="history-title" className="flex flex-col gap-3">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="min-w-0">
          <h1 id="history-title" className="text-xl font-bold">
            History
          </h1>
          <p className="text-sm text-slate-600">Every request that needed people, newest request first (by when it was asked), with how and when it was decided.</p>
        </div>
        <QueueFiltersBar basePath="/history" filters={filters} ruleIds={ruleIds} showActionable={false} focusSignal={0} />
      </div>
      {list.isError && items.length === 0 ? (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          The history could not be loaded: {list.error.message}
        </p>
      ) : items.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 bg-white p-8 text-center text-slate-600">{list.isPending || list.hasNextPage ? "Loading…" : "Nothing decided yet."}</p>
      ) : (
        <PagedJobList
          items={items}
          label="Requests, newest first by time asked"
          rowHeight={HISTORY_ROW_HEIGHT}
          hasNextPage={list.hasNextPage}
          isFetchingNextPage={list.isFetchingNextPage}
          fetchNextPage={list.fetchNextPage}
          className="h-[calc(100dvh-13rem)] min-h-80"
          renderRow={(item) => <HistoryRow item={item} from={from} />}
        />
      )}
    </section>
  );
}
