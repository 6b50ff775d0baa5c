"use client";

import { useSyncExternalStore } from "react";

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

/** The current time, re-rendering every second; `serverNow` keeps the first render hydration-safe. */
export function useNow(serverNow: number): number {
  return useSyncExternalStore(subscribe, () => now, () => serverNow);
}
