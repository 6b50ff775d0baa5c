"use client";

import { useState } from "react";
import { wasDecided } from "@/lib/client/decided";
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
export function useArrivals(items: JobItem[], loaded: boolean, resetKey: string, now: number): string {
  const [seen, setSeen] = useState<Seen>({ items: null, key: resetKey, ids: new Set(), at: 0, message: "" });
  if (loaded && seen.items !== items) {
    const ids = new Set(items.map((i) => i.job.id));
    const newest = Math.max(seen.at, ...items.map((i) => Date.parse(i.job.created_at)));
    let message = seen.message;
    if (seen.items && seen.key === resetKey) {
      const arrived = items.filter((i) => !seen.ids.has(i.job.id) && Date.parse(i.job.created_at) > seen.at).length;
      const gone = [...seen.ids].filter((id) => !ids.has(id));
      // Only what is known decided left the queue; a job still pending after a first vote merely
      // stopped being one this reviewer can act on.
      const before = new Map(seen.items.map((i) => [i.job.id, i]));
      const lapsed = (id: string) => {
        const at = before.get(id)?.sla.expires_at;
        return at !== undefined && at !== null && Date.parse(at) <= now;
      };
      const left = gone.filter((id) => wasDecided(id) || lapsed(id)).length;
      const moved = gone.length - left;
      const parts: string[] = [];
      if (arrived) parts.push(`${arrived} new request${arrived === 1 ? "" : "s"} arrived`);
      if (left) parts.push(`${left} left the queue (decided or expired)`);
      if (moved) parts.push(`${moved} no longer need${moved === 1 ? "s" : ""} you (still pending)`);
      if (parts.length) message = `${parts.join("; ")}.`;
    }
    setSeen({ items, key: resetKey, ids, at: seen.key === resetKey ? newest : Math.max(0, ...items.map((i) => Date.parse(i.job.created_at))), message });
  }
  return seen.message;
}
