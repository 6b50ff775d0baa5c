"use client";

import { useState } from "react";
import type { JobItem } from "@/lib/client/types";

/**
 * The rows checked for a batch decision. A shift-toggle checks every row between the last one toggled
 * and this one (as in a mail client); jobs that leave the list leave the selection.
 */
export function useChecked(items: JobItem[]) {
  const [picked, setPicked] = useState<Set<string>>(() => new Set());
  const [anchor, setAnchor] = useState<string | null>(null);
  const present = new Set(items.map((i) => i.job.id));
  const ids = new Set([...picked].filter((id) => present.has(id)));

  const toggle = (id: string, range: boolean) => {
    const from = anchor ? items.findIndex((i) => i.job.id === anchor) : -1;
    const to = items.findIndex((i) => i.job.id === id);
    const next = new Set(ids);
    if (range && from >= 0 && to >= 0) {
      const [lo, hi] = from < to ? [from, to] : [to, from];
      for (const i of items.slice(lo, hi + 1)) next.add(i.job.id);
    } else if (next.has(id)) next.delete(id);
    else next.add(id);
    setPicked(next);
    setAnchor(id);
  };

  return { ids, toggle, clear: () => setPicked(new Set()) };
}
