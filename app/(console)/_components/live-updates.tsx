"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { approvalKeys, jobKeys } from "@/lib/client/keys";
import { updateQueued } from "@/lib/client/queue-cache";

/**
 * One server-sent event stream per tab (fed by LISTEN/NOTIFY, so changes made through any instance
 * arrive): a decided job leaves the queue at once, and the lists and the open job refetch shortly after.
 */
export function LiveUpdates() {
  const client = useQueryClient();
  useEffect(() => {
    const source = new EventSource("/api/v1/approvals/stream");
    let timer: ReturnType<typeof setTimeout> | null = null;
    const changed = new Set<string>();
    const flush = () => {
      timer = null;
      void client.invalidateQueries({ queryKey: approvalKeys.all });
      for (const id of changed) void client.invalidateQueries({ queryKey: jobKeys.detail(id) });
      changed.clear();
    };
    source.addEventListener("queue", (e) => {
      try {
        const { job_id: id, state } = JSON.parse((e as MessageEvent<string>).data) as { job_id: string; state: string };
        // Decided or expired elsewhere: it leaves the queue now, before the refetch.
        if (state !== "APPROVAL") updateQueued(client, id, () => null);
        changed.add(id);
      } catch {
        return;
      }
      // Bursts (a batch of submissions) become one refetch.
      timer ??= setTimeout(flush, 200);
    });
    // After a dropped connection EventSource reconnects by itself; anything missed meanwhile is refetched.
    source.addEventListener("ready", () => void client.invalidateQueries({ queryKey: approvalKeys.all }));
    return () => {
      source.close();
      if (timer) clearTimeout(timer);
    };
  }, [client]);
  return null;
}
