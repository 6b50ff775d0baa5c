"use client";

import { useQuery } from "@tanstack/react-query";
import { api } from "./api";
import { approvalKeys, queueSearch } from "./keys";
import type { QueuePage } from "./types";

const COUNT_LIMIT = 200;

/**
 * "3 for you · 38 in queue": one page of the whole pending queue (the API's largest), counted here, each
 * item carrying its own can_act. Past 200 the counts read "200+". Live updates refresh it with the lists.
 */
export function useQueueCounts() {
  return useQuery({
    queryKey: [...approvalKeys.all, "counts"],
    queryFn: async ({ signal }) => {
      const page = await api<QueuePage>(`/api/v1/approvals?${queueSearch({}, { limit: COUNT_LIMIT })}`, { signal });
      const more = page.next_cursor !== null;
      return { total: page.items.length, mine: page.items.filter((i) => i.can_act).length, more };
    },
  });
}
