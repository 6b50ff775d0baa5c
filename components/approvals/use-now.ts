"use client";

import { useSyncExternalStore } from "react";
import { useConnection } from "@/lib/client/use-connection";

// One shared one-second clock for every countdown on the page, instead of a timer per row.
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;

function subscribe(listener: () => void) {
  listeners.add(listener);
  timer ??= setInterval(() => {
    now = Date.now();
    for (const l of listeners) l();
  }, 1000);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/**
 * The current time, re-rendering every second; `serverNow` keeps the first render hydration-safe.
 * With the server gone the clock stops where the data was last known true, so a countdown never
 * claims progress nobody can see.
 */
export function useNow(serverNow: number): number {
  const live = useSyncExternalStore(subscribe, () => now, () => serverNow);
  const connection = useConnection();
  return connection.lost && connection.since !== null ? connection.since : live;
}
