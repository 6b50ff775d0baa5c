"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { api } from "./api";
import { approvalKeys, queueSearch, type QueueFilters } from "./keys";
import type { JobItem, QueuePage } from "./types";

import { PAGE_SIZE } from "./keys";
export { PAGE_SIZE };

/** The queue (pending, most urgent first) or the history (resolved too, newest first), a cursor page at a time. */
export function useJobList(kind: "queue" | "history", filters: QueueFilters) {
  const query = useInfiniteQuery({
    queryKey: kind === "queue" ? approvalKeys.queue(filters) : approvalKeys.history(filters),
    queryFn: ({ pageParam, signal }) =>
      api<QueuePage>(`/api/v1/approvals?${queueSearch(filters, { resolved: kind === "history", cursor: pageParam, limit: PAGE_SIZE })}`, { signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
  });
  // A job can move between pages while they load one by one; show each once.
  const items = useMemo(() => {
    const seen = new Set<string>();
    const out: JobItem[] = [];
    for (const page of query.data?.pages ?? []) {
      for (const item of page.items) {
        if (seen.has(item.job.id)) continue;
        seen.add(item.job.id);
        out.push(item);
      }
    }
    return out;
  }, [query.data]);
  return { ...query, items };
}
