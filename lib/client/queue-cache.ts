import type { InfiniteData, QueryClient } from "@tanstack/react-query";
import { approvalKeys } from "./keys";
import type { JobItem, QueuePage } from "./types";

export const QUEUE_LISTS = { queryKey: [...approvalKeys.all, "queue"] };

/** Rewrite one job in every loaded queue page: return null to drop it from the queue. */
export function updateQueued(client: QueryClient, jobId: string, change: (item: JobItem) => JobItem | null): void {
  client.setQueriesData<InfiniteData<QueuePage>>(QUEUE_LISTS, (data) =>
    data
      ? {
          ...data,
          pages: data.pages.map((p) => ({
            ...p,
            items: p.items.flatMap((i) => {
              if (i.job.id !== jobId) return [i];
              const next = change(i);
              return next ? [next] : [];
            }),
          })),
        }
      : data,
  );
}
