/**
 * The reviewer's choice between "what I can act on" (the default) and the whole queue, remembered in a
 * cookie so the server renders the right list first and the nav link keeps it.
 */
export const QUEUE_SCOPE_COOKIE = "cs_queue_scope";
export type QueueScope = "mine" | "all";

export function scopeFrom(cookie: string | undefined): QueueScope {
  return cookie === "all" ? "all" : "mine";
}

const listeners = new Set<() => void>();

export function rememberScope(scope: QueueScope): void {
  document.cookie = `${QUEUE_SCOPE_COOKIE}=${scope}; path=/; max-age=31536000; samesite=lax`;
  for (const l of listeners) l();
}

/** For `useQueueScope` (use-queue-scope.ts): the remembered choice and its changes. */
export function subscribeScope(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function readScope(): QueueScope {
  const m = document.cookie.match(new RegExp(`(?:^|; )${QUEUE_SCOPE_COOKIE}=([^;]*)`));
  return scopeFrom(m?.[1]);
}

/** The queue's address for a scope (the nav link, and where /queue without one lands). */
export function queueHref(scope: QueueScope, rest = ""): string {
  const q = new URLSearchParams(rest);
  q.set("actionable", scope === "mine" ? "true" : "false");
  return `/queue?${q.toString()}`;
}
