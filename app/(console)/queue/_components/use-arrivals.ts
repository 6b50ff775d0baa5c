"use client";

import { useState } from "react";
import type { JobItem } from "@/lib/client/types";

interface Seen {
  items: JobItem[] | null;
  key: string;
  ids: Set<string>;
  at: number;
  message: string;
}

/**
 * A sentence for screen readers (and everyone) when requests arrive in or leave the loaded queue.
 * Only jobs created since the last look count as arrivals, so loading the next page is not news;
 * a new filter starts over. Derived while rendering, from the previous list.
 */
export function useArrivals(items: JobItem[], loaded: boolean, resetKey: string): string {
  const [seen, setSeen] = useState<Seen>({ items: null, key: resetKey, ids: new Set(), at: 0, message: "" });
  if (loaded && seen.items !== items) {
    const ids = new Set(items.map((i) => i.job.id));
    const newest = Math.max(seen.at, ...items.map((i) => Date.parse(i.job.created_at)));
    let message = seen.message;
    if (seen.items && seen.key === resetKey) {
      const arrived = items.filter((i) => !seen.ids.has(i.job.id) && Date.parse(i.job.created_at) > seen.at).length;
      const left = [...seen.ids].filter((id) => !ids.has(id)).length;
      const parts: string[] = [];
      if (arrived) parts.push(`${arrived} new request${arrived === 1 ? "" : "s"} arrived`);
      if (left) parts.push(`${left} left the queue (decided or expired)`);
      if (parts.length) message = `${parts.join("; ")}.`;
    }
    setSeen({ items, key: resetKey, ids, at: seen.key === resetKey ? newest : Math.max(0, ...items.map((i) => Date.parse(i.job.created_at))), message });
  }
  return seen.message;
}
