"use client";

import { useQueueCounts } from "@/lib/client/use-queue-counts";

/** "3 for you · 38 in queue", whichever list is shown. */
export function QueueCounts() {
  const counts = useQueueCounts();
  if (!counts.data) return null;
  const { mine, total, more } = counts.data;
  const plus = more ? "+" : "";
  return (
    <span className="font-medium text-slate-800" data-testid="queue-counts">
      {mine}
      {plus} for you · {total}
      {plus} in queue.
    </span>
  );
}
