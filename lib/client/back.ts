import type { InfiniteData, QueryClient } from "@tanstack/react-query";
import { approvalKeys, filtersFrom } from "./keys";
import type { QueuePage } from "./types";

/** Where "← back" goes: the list the job was opened from (queue or history, with its filters), else the queue. */
export function backTarget(from: string | null): { href: string; label: string; list: "queue" | "history" } {
  if (from && /^\/(queue|history)(\?[^#]*)?$/.test(from)) {
    const list = from.startsWith("/history") ? "history" : "queue";
    return { href: from, label: list === "history" ? "History" : "Queue", list };
  }
  return { href: "/queue", label: "Queue", list: "queue" };
}

/** A job's page, remembering the list it was opened from. */
export function jobHref(id: string, from: string, act?: "approve" | "reject"): string {
  const q = new URLSearchParams();
  if (act) q.set("act", act);
  q.set("from", from);
  return `/jobs/${encodeURIComponent(id)}?${q.toString()}`;
}

/** The jobs before and after `id` in the list it was opened from, as loaded in this tab. */
export function neighbours(client: QueryClient, id: string, from: string | null): { prev: string | null; next: string | null } {
  const back = backTarget(from);
  const filters = filtersFrom(new URLSearchParams(back.href.split("?")[1] ?? ""));
  const key = back.list === "history" ? approvalKeys.history(filters) : approvalKeys.queue(filters);
  const ids = (client.getQueryData<InfiniteData<QueuePage>>(key)?.pages ?? []).flatMap((p) => p.items.map((i) => i.job.id));
  const at = ids.indexOf(id);
  if (at < 0) return { prev: null, next: null };
  return { prev: ids[at - 1] ?? null, next: ids[at + 1] ?? null };
}
